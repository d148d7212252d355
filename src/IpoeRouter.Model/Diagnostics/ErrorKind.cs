namespace IpoeRouter.Model;

/// <summary>
/// What kind of failure an error is, so that every front end can categorise it the same way
/// (the PowerShell module maps it to <c>ErrorCategory</c>).
/// </summary>
public enum ErrorKind
{
    /// <summary>The input is malformed or violates a rule of the document.</summary>
    InvalidData,

    /// <summary>A parameter or value given by the caller is wrong.</summary>
    InvalidArgument,

    /// <summary>Something named does not exist.</summary>
    ObjectNotFound,

    /// <summary>Something that should be unique exists already.</summary>
    ResourceExists,

    /// <summary>The caller lacks the rights.</summary>
    PermissionDenied,

    /// <summary>A file, socket or service needed is not there or not usable.</summary>
    ResourceUnavailable,

    /// <summary>The operation does not fit the current state (a document changed under us).</summary>
    InvalidOperation,

    /// <summary>The request is valid but not built yet.</summary>
    NotImplemented,
}
