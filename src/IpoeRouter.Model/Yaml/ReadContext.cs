using YamlDotNet.RepresentationModel;

namespace IpoeRouter.Model.Yaml;

/// <summary>State of one read: where errors go and where nodes were.</summary>
internal sealed class ReadContext(string file)
{
    public SourceMap Map { get; } = new(file);

    public List<Diagnostic> Diagnostics { get; } = [];

    public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);

    public void Note(string path, YamlNode node) =>
        Map.Add(path, (int)node.Start.Line, (int)node.Start.Column);

    public void Error(string id, YamlNode node, string path, string message) =>
        Diagnostics.Add(Diagnostic.Invalid(id, path, message) with
        {
            Location = new SourceLocation(Map.File, (int)node.Start.Line, (int)node.Start.Column),
        });
}
