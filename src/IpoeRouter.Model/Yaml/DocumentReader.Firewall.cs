using YamlDotNet.RepresentationModel;

namespace IpoeRouter.Model.Yaml;

public static partial class DocumentReader
{
    private static readonly string[] s_ruleKeys =
    [
        "name", "chain", "family", "iif", "oif", "protocol", "sport", "dport", "icmpType", "icmpv6Type",
        "source", "destination", "ctState", "tcpFlags", "limit", "log", "action", "jump", "comment",
    ];

    private static FirewallPolicy? ReadFirewallPolicy(ReadContext c, YamlNode node)
    {
        if (MapReader.Open(c, node, "firewall", "firewall", "input", "forward", "output", "clampMss") is not { } m)
        {
            return null;
        }

        var policy = new FirewallPolicy
        {
            Input = m.Enum<ChainPolicy>("input"),
            Forward = m.Enum<ChainPolicy>("forward"),
            Output = m.Enum<ChainPolicy>("output"),
            ClampMss = m.Bool("clampMss"),
        };
        m.Finish();
        return policy;
    }

    private static FirewallRule? ReadRule(MapReader m)
    {
        var c = m.Context;
        string? name = m.RequiredName("name", interfaceName: false, "a name for the rule, unique in the document.");
        string? chain = m.RequiredName("chain", interfaceName: false, "input, forward, output, or the name of a user chain.");
        if (m.Has("action") && m.Has("jump"))
        {
            c.Error(DiagnosticIds.AmbiguousValue, m.Take("jump")!, m.Child("jump"), "A rule either has an 'action' or a 'jump', not both.");
        }

        foreach (string key in new[] { "sport", "dport", "icmpType", "icmpv6Type", "ctState" })
        {
            if (m.Has(key) && m.Node is YamlMappingNode map
                && map.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode { Value: { } k } && k == key).Value is YamlSequenceNode { Children.Count: 0 } empty)
            {
                c.Error(DiagnosticIds.EmptyList, empty, m.Child(key), $"'{key}: []' matches nothing; leave the key out to not match on it.");
            }
        }

        var rule = new FirewallRule(name ?? string.Empty, chain ?? string.Empty)
        {
            Family = m.Enum<FirewallFamily>("family"),
            InputInterface = m.InterfaceName("iif"),
            OutputInterface = m.InterfaceName("oif"),
            Protocol = m.Get("protocol", ReadProtocol),
            SourcePorts = m.List<PortRange>("sport", "sport", (n, p) => ReadPort(c, n, p), scalarAllowed: true) ?? ValueList<PortRange>.Empty,
            DestinationPorts = m.List<PortRange>("dport", "dport", (n, p) => ReadPort(c, n, p), scalarAllowed: true) ?? ValueList<PortRange>.Empty,
            IcmpTypes = m.Values("icmpType", "icmpType", (n, p) => ReadIcmpType(c, n, p, v6: false), scalarAllowed: true) ?? ValueList<int>.Empty,
            Icmpv6Types = m.Values("icmpv6Type", "icmpv6Type", (n, p) => ReadIcmpType(c, n, p, v6: true), scalarAllowed: true) ?? ValueList<int>.Empty,
            Source = m.Get("source", ReadAddressMatch),
            Destination = m.Get("destination", ReadAddressMatch),
            ConnectionStates = m.Values("ctState", "ctState", (n, p) => NodeReader.Enum<ConnectionState>(c, n, p), scalarAllowed: true) ?? ValueList<ConnectionState>.Empty,
            TcpFlags = m.Get("tcpFlags", ReadTcpFlags),
            Limit = m.Get("limit", ReadLimit),
            Log = m.Get("log", ReadLog),
            Action = m.Enum<RuleVerdict>("action"),
            Jump = m.ResourceName("jump"),
            Comment = m.Text("comment", "A comment"),
        };
        return name is null || chain is null ? null : rule;
    }

    private static string? ReadProtocol(ReadContext c, YamlNode node, string path)
    {
        string? text = NodeReader.Scalar(c, node, path, "A protocol");
        if (text is null)
        {
            return null;
        }

        if (ValueText.TryParseProtocol(text, out string? name))
        {
            return name;
        }

        c.Error(DiagnosticIds.InvalidEnumValue, node, path, $"'{text}' is not a protocol: use {string.Join(", ", ValueText.ProtocolNames)} or a number 0-255.");
        return null;
    }

    private static PortRange? ReadPort(ReadContext c, YamlNode node, string path)
    {
        string? text = NodeReader.Scalar(c, node, path, "A port");
        if (text is null)
        {
            return null;
        }

        if (ValueText.TryParsePort(text, out PortRange? port))
        {
            return port;
        }

        c.Error(DiagnosticIds.InvalidPort, node, path, $"'{text}' is not a port (0-65535) or a range such as 1024-65535.");
        return null;
    }

    private static int? ReadIcmpType(ReadContext c, YamlNode node, string path, bool v6)
    {
        string? text = NodeReader.Scalar(c, node, path, "An ICMP type");
        if (text is null)
        {
            return null;
        }

        if (IcmpTypeNames.Parse(text, v6) is { } type)
        {
            return type;
        }

        c.Error(DiagnosticIds.InvalidEnumValue, node, path, $"'{text}' is not an {(v6 ? "ICMPv6" : "ICMP")} type: a number 0-255 or a name such as {(v6 ? "nd-router-advert" : "echo-request")}.");
        return null;
    }

    private static AddressMatch? ReadAddressMatch(ReadContext c, YamlNode node, string path)
    {
        if (node is YamlScalarNode)
        {
            return NodeReader.Prefix(c, node, path) is { } p ? new PrefixMatch(p) : null;
        }

        if (MapReader.Open(c, node, path, "An address match", "prefix", "delegatedPrefix", "lanSubnet", "tunnelRemote") is not { } m)
        {
            return null;
        }

        AddressMatch? match = OneOf<AddressMatch>(m, "an address match: prefix, delegatedPrefix, lanSubnet or tunnelRemote",
            ("prefix", () => m.Get("prefix", NodeReader.Prefix) is { } p ? new PrefixMatch(p) : null),
            ("delegatedPrefix", () => m.ResourceName("delegatedPrefix") is { } d ? new DelegatedPrefixMatch(d) : null),
            ("lanSubnet", () => m.InterfaceName("lanSubnet") is { } i ? new LanSubnetMatch(i) : null),
            ("tunnelRemote", () => m.InterfaceName("tunnelRemote") is { } t ? new TunnelRemoteMatch(t) : null));
        m.Finish();
        return match;
    }

    private static TcpFlagsMatch? ReadTcpFlags(ReadContext c, YamlNode node, string path)
    {
        if (MapReader.Open(c, node, path, "tcpFlags", "mask", "set") is not { } m)
        {
            return null;
        }

        var mask = m.Values("mask", "mask", (n, p) => NodeReader.Enum<TcpFlag>(c, n, p), scalarAllowed: true);
        if (mask is { Count: 0 })
        {
            c.Error(DiagnosticIds.EmptyList, m.Take("mask")!, m.Child("mask"), "An empty 'mask' looks at no flag; name the flags to look at, e.g. mask: [rst].");
            mask = null;
        }
        var set = m.Values("set", "set", (n, p) => NodeReader.Enum<TcpFlag>(c, n, p), scalarAllowed: true) ?? ValueList<TcpFlag>.Empty;
        if (!m.Has("mask"))
        {
            m.Missing("mask", "the flags to look at, e.g. mask: [rst].");
        }

        m.Finish();
        return mask is null ? null : new TcpFlagsMatch(mask, set);
    }

    private static RateLimit? ReadLimit(ReadContext c, YamlNode node, string path)
    {
        if (MapReader.Open(c, node, path, "limit", "rate", "burst", "over", "perSource") is not { } m)
        {
            return null;
        }

        RateLimit? rate = null;
        if (!m.Has("rate"))
        {
            m.Take("rate");
            m.Missing("rate", "packets per unit, e.g. rate: 10/second.");
        }
        else if (m.Text("rate", "A rate") is { } text)
        {
            if (!ValueText.TryParseRate(text, out rate))
            {
                c.Error(DiagnosticIds.InvalidRate, m.Take("rate")!, m.Child("rate"), $"'{text}' is not a rate such as 10/second (units: second, minute, hour, day).");
            }
        }

        int? burst = m.Int("burst", 0, int.MaxValue);
        bool over = m.Bool("over") ?? false;
        bool perSource = m.Bool("perSource") ?? false;
        m.Finish();
        return rate is null ? null : rate with { Burst = burst, Over = over, PerSource = perSource };
    }

    private static LogAction? ReadLog(ReadContext c, YamlNode node, string path)
    {
        if (node is YamlScalarNode)
        {
            return NodeReader.Scalar(c, node, path, "A log prefix") is { } prefix ? new LogAction(prefix) : null;
        }

        if (MapReader.Open(c, node, path, "log", "prefix") is not { } m)
        {
            return null;
        }

        string? p = m.Text("prefix", "A log prefix");
        if (!m.Has("prefix"))
        {
            m.Missing("prefix", "the text logged before the packet, e.g. prefix: \"dropped: \".");
        }

        m.Finish();
        return p is null ? null : new LogAction(p);
    }
}
