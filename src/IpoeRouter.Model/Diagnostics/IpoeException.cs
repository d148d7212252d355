namespace IpoeRouter.Model;

/// <summary>
/// The one exception type the front ends map to their own error records: a stable
/// <see cref="ErrorId"/>, a <see cref="Kind"/>, and the object it is about.
/// </summary>
public class IpoeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public IpoeException(string errorId, ErrorKind kind, string message, object? target = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorId = errorId;
        Kind = kind;
        Target = target;
    }

    /// <summary>The stable id, e.g. <c>TunnelNotFound</c>.</summary>
    public string ErrorId { get; }

    /// <summary>What kind of failure it is.</summary>
    public ErrorKind Kind { get; }

    /// <summary>The object the error is about (a resource name, a path).</summary>
    public object? Target { get; }
}
