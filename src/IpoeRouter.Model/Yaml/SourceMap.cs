namespace IpoeRouter.Model.Yaml;

/// <summary>
/// Where each part of a document was written: document path (<c>interfaces[1].mtu</c>) → line
/// and column. Kept beside the model so that resources stay plain values.
/// </summary>
public sealed class SourceMap
{
    private readonly Dictionary<string, (int Line, int Column)> _marks = new(StringComparer.Ordinal);

    /// <summary>Creates an empty map for <paramref name="file"/>.</summary>
    public SourceMap(string file) => File = file;

    /// <summary>The file name used in locations.</summary>
    public string File { get; }

    internal void Add(string path, int line, int column) => _marks.TryAdd(path, (line, column));

    /// <summary>
    /// The location of <paramref name="path"/>, or of its nearest ancestor that was written
    /// (a derived default points at the resource that implies it).
    /// </summary>
    public SourceLocation? Locate(string path)
    {
        string p = path;
        while (true)
        {
            if (_marks.TryGetValue(p, out var m))
            {
                return new SourceLocation(File, m.Line, m.Column);
            }

            int cut = Math.Max(p.LastIndexOf('.'), p.LastIndexOf('['));
            if (cut <= 0)
            {
                return _marks.TryGetValue(string.Empty, out var root) ? new SourceLocation(File, root.Line, root.Column) : null;
            }

            p = p[..cut];
        }
    }

    /// <summary>Attaches locations to diagnostics that lack one.</summary>
    public IReadOnlyList<Diagnostic> Attach(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics.Select(d => d.Location is null ? d with { Location = Locate(d.Path) } : d).ToList();
}
