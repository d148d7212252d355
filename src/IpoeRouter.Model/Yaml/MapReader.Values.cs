using System.Net;
using System.Net.Sockets;
using YamlDotNet.RepresentationModel;

namespace IpoeRouter.Model.Yaml;

internal sealed partial class MapReader
{
    /// <summary>Reads <paramref name="key"/> with <paramref name="convert"/>; default when absent.</summary>
    public T Get<T>(string key, Func<ReadContext, YamlNode, string, T> convert) =>
        Take(key) is { } node ? convert(Context, node, Child(key)) : default!;

    public string? Text(string key, string what) => Get(key, (c, n, p) => NodeReader.Scalar(c, n, p, what));

    public bool? Bool(string key) => Get(key, NodeReader.Bool);

    public int? Int(string key, int min, int max) => Get(key, (c, n, p) => NodeReader.Int(c, n, p, min, max));

    public TEnum? Enum<TEnum>(string key)
        where TEnum : struct, System.Enum => Get(key, NodeReader.Enum<TEnum>);

    public IPAddress? Address(string key, AddressFamily? family = null) =>
        Get(key, (c, n, p) => NodeReader.Address(c, n, p, family));

    public TimeSpan? Duration(string key) => Get(key, NodeReader.Duration);

    public string? InterfaceName(string key) => Get(key, NodeReader.InterfaceName);

    public string? ResourceName(string key) => Get(key, NodeReader.ResourceName);

    /// <summary>A required name; reports <see cref="DiagnosticIds.MissingKey"/> when absent.</summary>
    public string? RequiredName(string key, bool interfaceName, string hint)
    {
        if (!Has(key))
        {
            Take(key);
            Missing(key, hint);
            return null;
        }

        return interfaceName ? InterfaceName(key) : ResourceName(key);
    }

    public ValueList<T>? List<T>(string key, string what, Func<YamlNode, string, T?> item, bool scalarAllowed = false)
        where T : class =>
        Take(key) is { } node && NodeReader.List(Context, node, Child(key), what, item, scalarAllowed) is { } list
            ? ValueList<T>.From(list)
            : null;

    public ValueList<T>? Values<T>(string key, string what, Func<YamlNode, string, T?> item, bool scalarAllowed = false)
        where T : struct =>
        Take(key) is { } node && NodeReader.Values(Context, node, Child(key), what, item, scalarAllowed) is { } list
            ? ValueList<T>.From(list)
            : null;

    /// <summary>A list of mappings, each read by <paramref name="item"/>.</summary>
    public ValueList<T>? Maps<T>(string key, string what, string[] knownKeys, Func<MapReader, T?> item)
        where T : class =>
        Take(key) is { } node && NodeReader.List(Context, node, Child(key), $"'{key}'", (n, p) => Open(Context, n, p, what, knownKeys) is { } m ? Finish(m, item(m)) : null) is { } list
            ? ValueList<T>.From(list)
            : null;

    private static T? Finish<T>(MapReader m, T? value)
    {
        m.Finish();
        return value;
    }
}
