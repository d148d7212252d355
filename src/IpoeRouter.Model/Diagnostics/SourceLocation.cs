using System.Globalization;

namespace IpoeRouter.Model;

/// <summary>A place in a YAML file, 1-based like editors and compilers count.</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}:{Column}");
}
