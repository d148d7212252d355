using IpoeRouter.Model.Import;

namespace IpoeRouter.Model.Tests;

/// <summary>Reads the seed router's files (copied into Seed/) the way Import-IpoeRouter reads a folder.</summary>
internal static class SeedFixture
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Seed");

    /// <summary>Every recognised file of Seed/ except those named in <paramref name="exclude"/>.</summary>
    public static List<(LegacySourceKind Kind, SourceText Source)> Sources(params string[] exclude)
    {
        var sources = new List<(LegacySourceKind, SourceText)>();
        foreach (string path in Directory.GetFiles(Folder).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(path);
            if (!exclude.Contains(name) && LegacySourceLayout.Classify(name) is { } kind)
            {
                sources.Add((kind, new SourceText(name, File.ReadAllText(path))));
            }
        }

        return sources;
    }

    public static string Text(string name) => File.ReadAllText(Path.Combine(Folder, name));
}
