using YamlDotNet.RepresentationModel;

namespace IpoeRouter.Model.Yaml;

/// <summary>
/// A cursor over one YAML mapping: each key is taken at most once, each value is converted with a
/// typed reader that reports its own error at the value's line:col, and <see cref="Finish"/>
/// reports every key nobody took. Readers return null on error so that one read can report many
/// errors; the document is only built when none was found.
/// </summary>
internal sealed partial class MapReader
{
    private readonly YamlMappingNode _node;
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);
    private readonly string[] _known;

    public MapReader(ReadContext context, YamlMappingNode node, string path, params string[] knownKeys)
    {
        Context = context;
        _node = node;
        Path = path;
        _known = knownKeys;
        context.Note(path, node);
    }

    public ReadContext Context { get; }

    public string Path { get; }

    public YamlNode Node => _node;

    /// <summary>Turns a node into a mapping reader, or reports that it is not a mapping.</summary>
    public static MapReader? Open(ReadContext context, YamlNode node, string path, string what, params string[] knownKeys)
    {
        if (node is YamlMappingNode map)
        {
            return new MapReader(context, map, path, knownKeys);
        }

        context.Error(DiagnosticIds.WrongNodeType, node, path, $"{what} must be a mapping of keys to values, not {Describe(node)}.");
        return null;
    }

    public string Child(string key) => Path.Length == 0 ? key : Path + "." + key;

    /// <summary>The value node of <paramref name="key"/>, or null when absent or written as null.</summary>
    public YamlNode? Take(string key)
    {
        _taken.Add(key);
        foreach (var (k, v) in _node.Children)
        {
            if (k is YamlScalarNode { Value: { } name } && name == key)
            {
                if (IsNull(v))
                {
                    return null;
                }

                Context.Note(Child(key), v);
                return v;
            }
        }

        return null;
    }

    /// <summary>True when the mapping has <paramref name="key"/> with a non-null value.</summary>
    public bool Has(string key) =>
        _node.Children.Any(kv => kv.Key is YamlScalarNode { Value: { } name } && name == key && !IsNull(kv.Value));

    /// <summary>Reports a missing required key at the mapping.</summary>
    public void Missing(string key, string hint) =>
        Context.Error(DiagnosticIds.MissingKey, _node, Child(key), $"'{key}' is required here: {hint}");

    /// <summary>Reports keys that were never taken: reserved ones, and unknown ones with the closest known key.</summary>
    public void Finish()
    {
        foreach (var (k, _) in _node.Children)
        {
            string name = (k as YamlScalarNode)?.Value ?? k.ToString();
            if (_taken.Contains(name))
            {
                continue;
            }

            if (name.StartsWith('_'))
            {
                Context.Error(DiagnosticIds.ReservedKey, k, Child(name), $"Keys starting with '_' are reserved; '{name}' cannot be used.");
                continue;
            }

            string? near = Suggest(name, _known);
            string where = Path.Length == 0 ? "at the top level" : $"in {Path}";
            Context.Error(DiagnosticIds.UnknownKey, k, Child(name),
                $"Unknown key '{name}' {where}." + (near is null ? $" Known keys: {string.Join(", ", _known)}." : $" Did you mean '{near}'?"));
        }
    }

    internal static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    internal static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s => $"the value '{s.Value}'",
        _ => "this node",
    };

    private static string? Suggest(string name, string[] known)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string k in known)
        {
            int d = Levenshtein(name.ToLowerInvariant(), k.ToLowerInvariant());
            if (d < bestDistance)
            {
                bestDistance = d;
                best = k;
            }
        }

        return bestDistance <= Math.Max(2, name.Length / 3) ? best : null;
    }

    private static int Levenshtein(string a, string b)
    {
        int[] prev = new int[b.Length + 1];
        int[] cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            prev[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }

            (prev, cur) = (cur, prev);
        }

        return prev[b.Length];
    }
}
