using System.Globalization;
using System.Net;
using YamlDotNet.RepresentationModel;

namespace IpoeRouter.Model.Import;

public static partial class NetplanImporter
{
    private sealed partial class Reader
    {
        private void TunnelEntry(YamlNode nameNode, YamlMappingNode map)
        {
            string name = Text(nameNode);
            string? mode = map.Children.TryGetValue(new YamlScalarNode("mode"), out YamlNode? m) ? Text(m) : null;
            if (mode != "ipip6")
            {
                Everything(nameNode, map, ImportOutcome.NotExpressible, $"tunnel mode '{mode ?? "(none)"}': only ipip6 (DS-Lite) is in the document");
                return;
            }

            TunnelRemote? remote = null;
            TunnelLocal? local = null;
            int? mtu = null, hopLimit = null;
            var pending = new List<(int Line, ImportOutcome Outcome, string Detail)>();
            foreach (var (key, value) in map.Children)
            {
                int line = Line(key);
                switch (Text(key))
                {
                    case "mode":
                        pending.Add((line, ImportOutcome.Imported, $"{name} kind: dsLite (ip6tnl mode ipip6)"));
                        break;
                    case "remote":
                        remote = Address(value) is { } r ? new StaticRemote(r) : null;
                        pending.Add(remote is null
                            ? (line, ImportOutcome.NotExpressible, $"remote '{Text(value)}' is not an IPv6 address")
                            : (line, ImportOutcome.Imported, $"{name} remote {Text(value)}{AftrName(((StaticRemote)remote).Address)}"));
                        break;
                    case "local":
                        (local, var outcome, string detail) = Local(Text(value));
                        pending.Add((line, outcome, detail));
                        break;
                    case "mtu" when int.TryParse(Text(value), NumberStyles.None, CultureInfo.InvariantCulture, out int n):
                        mtu = n;
                        pending.Add((line, ImportOutcome.Imported, $"{name} mtu: {n}"));
                        break;
                    case "ttl" when int.TryParse(Text(value), NumberStyles.None, CultureInfo.InvariantCulture, out int ttl):
                        hopLimit = ttl;
                        pending.Add((line, ImportOutcome.Imported, $"{name} hopLimit: {ttl}"));
                        break;
                    case "routes" when value is YamlSequenceNode routes:
                        pending.Add((line, ImportOutcome.Absorbed, $"list of routes through {name}"));
                        foreach (YamlNode item in routes)
                        {
                            TunnelRoute(name, item as YamlMappingNode, pending);
                        }

                        break;
                    case "addresses" when value is YamlSequenceNode addresses:
                        pending.Add((line, ImportOutcome.Absorbed, $"list of {name}'s addresses"));
                        foreach (YamlNode item in addresses)
                        {
                            pending.Add(Text(item) == "192.0.0.2/29"
                                ? (Line(item), ImportOutcome.Absorbed, "the B4 address (RFC 6333): the engine sets it on every DS-Lite tunnel")
                                : (Line(item), ImportOutcome.NotExpressible, "a DS-Lite tunnel carries only the B4 address 192.0.0.2/29"));
                        }

                        break;
                    default:
                        Everything(key, value, ImportOutcome.NotExpressible, $"netplan tunnel key '{Text(key)}' is not in the document's vocabulary");
                        break;
                }
            }

            if (remote is null || local is null)
            {
                string why = remote is null ? "it has no usable remote" : "its local end cannot be expressed";
                account.Mark(Line(nameNode), ImportOutcome.NotExpressible, $"tunnel {name} is not imported: {why}");
                foreach (var p in pending)
                {
                    account.Mark(p.Line, p.Outcome == ImportOutcome.Imported ? ImportOutcome.NotExpressible : p.Outcome, p.Detail + $" (tunnel {name} is not imported)");
                }

                return;
            }

            account.Mark(Line(nameNode), ImportOutcome.Imported, $"tunnel {name}");
            foreach (var p in pending)
            {
                account.Mark(p.Line, p.Outcome, p.Detail);
            }

            Document = Document with { Tunnels = Document.Tunnels.Add(new Tunnel(name, remote, local) { Mtu = mtu, HopLimit = hopLimit }) };
        }

        private (TunnelLocal? Local, ImportOutcome Outcome, string Detail) Local(string text)
        {
            if (WanFor() is { } wan)
            {
                return (new InterfaceLocal(wan), ImportOutcome.Imported,
                    $"hard-coded address {text} became the binding {{ fromInterface: {wan} }}: it follows the WAN's SLAAC address when the prefix changes");
            }

            return PrefixMath.TryParseAddress(text, out IPAddress? a)
                ? (new StaticLocal(a), ImportOutcome.Imported, $"local {text} kept fixed: no single interface takes RAs or runs the PD client, so no binding can be derived")
                : (null, ImportOutcome.NotExpressible, $"local '{text}' is not an address, and no single WAN interface is known to bind it to");
        }

        private static void TunnelRoute(string tunnel, YamlMappingNode? map, List<(int, ImportOutcome, string)> pending)
        {
            if (map is null)
            {
                return;
            }

            bool isDefault = map.Children.TryGetValue(new YamlScalarNode("to"), out YamlNode? to) && Text(to) is "0.0.0.0/0" or "default";
            foreach (var (key, _) in map.Children)
            {
                pending.Add(isDefault
                    ? (Line(key), ImportOutcome.Absorbed, $"the IPv4 default route through {tunnel}: a DS-Lite tunnel carries it (defaultRoute defaults to true)")
                    : (Line(key), ImportOutcome.NotExpressible, $"a route other than the IPv4 default through tunnel {tunnel}"));
            }
        }

        private static string AftrName(IPAddress remote) =>
            Enum.GetValues<KnownAftr>().FirstOrDefault(k => AftrCatalog.AddressOf(k).Equals(remote)) is var known && AftrCatalog.AddressOf(known).Equals(remote)
                ? $" ({known})"
                : string.Empty;
    }
}
