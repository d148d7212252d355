using System.Globalization;
using System.Net;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IpoeRouter.Model.Import;

/// <summary>
/// Reads a netplan file (version 2: <c>ethernets</c> and <c>tunnels</c>) into interfaces, tunnels
/// and routes. Hard-coded IPv6 addresses become bindings: an ipip6 tunnel's <c>local:</c> follows
/// the WAN's own address (<c>{ fromInterface: WAN }</c>), and a LAN's global /64 address in the
/// subnet a delegation gives it becomes <c>{ delegation, subnetId, host }</c>. Pure: the caller
/// gives the text.
/// </summary>
public static partial class NetplanImporter
{
    private const string EngineOwnsLinks = "the engine configures the links itself (no networkd or NetworkManager)";

    /// <summary>
    /// Imports <paramref name="source"/>. <paramref name="delegations"/> (from dhcp6c.conf) tell
    /// which interface is the WAN and which LAN addresses lie in a delegated subnet.
    /// </summary>
    /// <exception cref="IpoeException"><see cref="ImportErrorIds.ImportSourceSyntaxError"/> when the text is not YAML (names file:line:col).</exception>
    public static SourceImport Import(SourceText source, IReadOnlyList<PrefixDelegation> delegations)
    {
        var account = new LineAccount(source, '#');
        YamlMappingNode? root = Parse(source);
        var doc = RouterDocument.Empty;
        if (root is null)
        {
            return new SourceImport(doc, account.Complete());
        }

        var reader = new Reader(account, delegations);
        foreach (var (key, value) in root.Children)
        {
            if (Text(key) != "network" || value is not YamlMappingNode network)
            {
                reader.Everything(key, value, ImportOutcome.NotExpressible, $"'{Text(key)}' is not netplan's 'network:'");
                continue;
            }

            account.Mark(Line(key), ImportOutcome.Absorbed, "netplan's top level");
            reader.Network(network);
        }

        return new SourceImport(reader.Document, account.Complete());
    }

    private static YamlMappingNode? Parse(SourceText source)
    {
        RefuseTabIndentation(source);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(source.Text));
        }
        catch (YamlException e)
        {
            string where = string.Create(CultureInfo.InvariantCulture, $"{source.File}:{e.Start.Line}:{e.Start.Column}");
            throw new IpoeException(ImportErrorIds.ImportSourceSyntaxError, ErrorKind.InvalidData,
                $"{where}: not valid YAML (netplan): {e.Message}", where, e);
        }

        if (stream.Documents.Count == 0)
        {
            return null;
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            string where = string.Create(CultureInfo.InvariantCulture, $"{source.File}:{stream.Documents[0].RootNode.Start.Line}:{stream.Documents[0].RootNode.Start.Column}");
            throw new IpoeException(ImportErrorIds.ImportSourceSyntaxError, ErrorKind.InvalidData, $"{where}: a netplan file is a mapping with 'network:' at its top.", where);
        }

        return root;
    }

    /// <summary>YAML indents with spaces only; a tab there would otherwise be reported by the parser far from where it is.</summary>
    private static void RefuseTabIndentation(SourceText source)
    {
        string[] lines = LineAccount.SplitLines(source.Text);
        for (int i = 0; i < lines.Length; i++)
        {
            string indent = lines[i][..(lines[i].Length - lines[i].TrimStart().Length)];
            int tab = indent.IndexOf('\t', StringComparison.Ordinal);
            if (tab >= 0 && lines[i].Trim().Length > 0 && !lines[i].TrimStart().StartsWith('#'))
            {
                string where = string.Create(CultureInfo.InvariantCulture, $"{source.File}:{i + 1}:{tab + 1}");
                throw new IpoeException(ImportErrorIds.ImportSourceSyntaxError, ErrorKind.InvalidData,
                    $"{where}: a tab in the indentation: YAML (netplan) indents with spaces only.", where);
            }
        }
    }

    internal static int Line(YamlNode node) => (int)node.Start.Line;

    internal static string Text(YamlNode node) => node is YamlScalarNode s ? s.Value ?? string.Empty : string.Empty;

    internal static bool? Bool(YamlNode node) => Text(node).ToLowerInvariant() switch
    {
        "yes" or "true" or "on" or "y" => true,
        "no" or "false" or "off" or "n" => false,
        _ => null,
    };

    /// <summary>The walk over one file, with the document it builds.</summary>
    private sealed partial class Reader(LineAccount account, IReadOnlyList<PrefixDelegation> delegations)
    {
        public RouterDocument Document { get; private set; } = RouterDocument.Empty;

        private readonly Dictionary<string, bool> _takesRa = new(StringComparer.Ordinal);

        public void Network(YamlMappingNode network)
        {
            // Ethernets first: the tunnels' local binding needs to know which interface takes RAs.
            foreach (var (key, value) in network.Children.OrderBy(c => Text(c.Key) == "tunnels" ? 1 : 0))
            {
                string name = Text(key);
                switch (name)
                {
                    case "version":
                        account.Mark(Line(key), ImportOutcome.Absorbed, "netplan format version");
                        break;
                    case "renderer":
                        account.Mark(Line(key), ImportOutcome.Absorbed, EngineOwnsLinks);
                        break;
                    case "ethernets" when value is YamlMappingNode ethernets:
                        account.Mark(Line(key), ImportOutcome.Absorbed, "section of interfaces");
                        foreach (var (ifKey, ifValue) in ethernets.Children)
                        {
                            Ethernet(ifKey, ifValue as YamlMappingNode ?? new YamlMappingNode());
                        }

                        break;
                    case "tunnels" when value is YamlMappingNode tunnels:
                        account.Mark(Line(key), ImportOutcome.Absorbed, "section of tunnels");
                        foreach (var (tKey, tValue) in tunnels.Children)
                        {
                            TunnelEntry(tKey, tValue as YamlMappingNode ?? new YamlMappingNode());
                        }

                        break;
                    default:
                        Everything(key, value, ImportOutcome.NotExpressible, $"netplan '{name}' is not in the document's vocabulary (interfaces and tunnels only)");
                        break;
                }
            }
        }

        /// <summary>Marks every line of a key and its value.</summary>
        public void Everything(YamlNode key, YamlNode value, ImportOutcome outcome, string detail)
        {
            account.Mark(Line(key), outcome, detail);
            foreach (YamlNode n in value.AllNodes)
            {
                account.Mark(Line(n), outcome, detail);
            }
        }

        private void AddInterface(Interface iface) =>
            Document = Document with { Interfaces = Document.Interfaces.Add(iface) };

        private void AddRoute(Route route) =>
            Document = Document with { Routes = Document.Routes.Add(route) };

        private string? WanFor()
        {
            string[] clients = delegations.Select(d => d.Interface).Distinct().ToArray();
            if (clients.Length == 1)
            {
                return clients[0];
            }

            string[] takers = _takesRa.Where(p => p.Value).Select(p => p.Key).ToArray();
            return takers.Length == 1 ? takers[0] : null;
        }

        private static IPAddress? Address(YamlNode node) =>
            PrefixMath.TryParseAddress(Text(node), out IPAddress? a) ? a : null;
    }
}
