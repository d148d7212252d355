namespace IpoeRouter.Model;

/// <summary>How bad a diagnostic is.</summary>
public enum Severity
{
    /// <summary>The document cannot be used; nothing is applied or written.</summary>
    Error,

    /// <summary>The document is used, possibly corrected; the message says how and why.</summary>
    Warning,
}
