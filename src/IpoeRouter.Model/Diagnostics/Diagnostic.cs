using System.Text;

namespace IpoeRouter.Model;

/// <summary>
/// One finding about a document: a stable <see cref="Id"/> (part of the contract, asserted by
/// tests and scripts), where it is (<see cref="Path"/> in the document, and <see cref="Location"/>
/// in the file when the document came from one), and a message for people.
/// </summary>
public sealed record Diagnostic(string Id, Severity Severity, ErrorKind Kind, string Path, string Message)
{
    /// <summary>file:line:col of the offending node, when known.</summary>
    public SourceLocation? Location { get; init; }

    /// <summary>Creates an error.</summary>
    public static Diagnostic Error(string id, ErrorKind kind, string path, string message) =>
        new(id, Severity.Error, kind, path, message);

    /// <summary>Creates an error about invalid document data.</summary>
    public static Diagnostic Invalid(string id, string path, string message) =>
        new(id, Severity.Error, ErrorKind.InvalidData, path, message);

    /// <summary>Creates a warning.</summary>
    public static Diagnostic Warning(string id, string path, string message) =>
        new(id, Severity.Warning, ErrorKind.InvalidData, path, message);

    /// <summary><c>file:line:col: error Id: message (at path)</c>, the form compilers use so editors can jump to it.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        if (Location is not null)
        {
            sb.Append(Location).Append(": ");
        }

        sb.Append(Severity == Severity.Error ? "error " : "warning ").Append(Id).Append(": ").Append(Message);
        if (Path.Length > 0)
        {
            sb.Append(" (at ").Append(Path).Append(')');
        }

        return sb.ToString();
    }
}
