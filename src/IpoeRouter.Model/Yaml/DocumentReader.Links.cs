using System.Net;
using YamlDotNet.RepresentationModel;

namespace IpoeRouter.Model.Yaml;

public static partial class DocumentReader
{
    private static readonly string[] s_interfaceKeys = ["name", "role", "up", "mtu", "dhcp4", "acceptRa", "addresses"];
    private static readonly string[] s_tunnelKeys = ["name", "kind", "remote", "local", "mtu", "hopLimit", "encapLimit", "defaultRoute", "backend", "probe", "exist"];
    private static readonly string[] s_delegationKeys = ["name", "interface", "prefixLength", "duid", "rapidCommit", "downstream"];

    private static Interface? ReadInterface(MapReader m)
    {
        string? name = m.RequiredName("name", interfaceName: true, "the kernel's name of the interface, e.g. enp1s0.");
        var item = new Interface(name ?? string.Empty)
        {
            Role = m.Enum<InterfaceRole>("role") ?? InterfaceRole.None,
            Up = m.Bool("up"),
            Mtu = m.Int("mtu", 1280, 65535),
            Dhcp4 = m.Bool("dhcp4"),
            AcceptRa = m.Bool("acceptRa"),
            Addresses = m.List("addresses", "addresses", (n, p) => ReadAddressSpec(m.Context, n, p)) ?? ValueList<AddressSpec>.Empty,
        };
        return name is null ? null : item;
    }

    private static AddressSpec? ReadAddressSpec(ReadContext c, YamlNode node, string path)
    {
        if (node is YamlScalarNode)
        {
            return NodeReader.InterfaceAddress(c, node, path) is { } a ? new StaticAddress(a) : null;
        }

        if (MapReader.Open(c, node, path, "An address", "delegation", "subnetId", "host") is not { } m)
        {
            return null;
        }

        string? delegation = m.RequiredName("delegation", interfaceName: false, "the name of the prefix delegation the address comes from.");
        int? subnetId = m.Int("subnetId", 0, 65535);
        if (!m.Has("subnetId"))
        {
            m.Missing("subnetId", "which /64 of the delegated prefix, counted from 0.");
        }

        IPAddress? host = m.Has("host") ? m.Get("host", ReadHost) : DelegatedAddress.DefaultHost;
        m.Finish();
        return delegation is not null && subnetId is { } id && host is not null ? new DelegatedAddress(delegation, id, host) : null;
    }

    private static IPAddress? ReadHost(ReadContext c, YamlNode node, string path)
    {
        IPAddress? host = NodeReader.Address(c, node, path, V6);
        if (host is not null && !PrefixMath.IsInterfaceIdentifier(host))
        {
            c.Error(DiagnosticIds.InvalidAddress, node, path, $"'{host}' is not an interface identifier: only the low 64 bits may be set, and not all zero (the subnet-router anycast address), as in ::1.");
            return null;
        }

        return host;
    }

    private static Tunnel? ReadTunnel(MapReader m)
    {
        string? name = m.RequiredName("name", interfaceName: true, "the tunnel interface's name, e.g. ip6tnl1.");
        TunnelKind kind = m.Enum<TunnelKind>("kind") ?? TunnelKind.DsLite;
        TunnelRemote? remote = m.Has("remote") ? m.Get("remote", ReadRemote) : null;
        TunnelLocal? local = m.Has("local") ? m.Get("local", ReadLocal) : null;
        if (!m.Has("remote"))
        {
            m.Take("remote");
            m.Missing("remote", "the AFTR, e.g. remote: 2404:8e00::feed:100 or remote: { fqdn: gw.transix.jp }.");
        }

        if (!m.Has("local"))
        {
            m.Take("local");
            m.Missing("local", "where the local address comes from, e.g. local: { fromInterface: enp1s0 }.");
        }

        var tunnel = new Tunnel(name ?? string.Empty, remote!, local!)
        {
            Kind = kind,
            Mtu = m.Int("mtu", 1280, 65535),
            HopLimit = m.Int("hopLimit", 1, 255),
            EncapLimit = m.Get("encapLimit", ReadEncapLimit),
            DefaultRoute = m.Bool("defaultRoute"),
            Backend = m.Enum<TunnelBackend>("backend") ?? TunnelBackend.Auto,
            Probe = m.Get("probe", ReadProbe),
            Exist = m.Bool("exist") ?? true,
        };
        return name is null || remote is null || local is null ? null : tunnel;
    }

    /// <summary>A health probe target: an IPv4 address reached through the tunnel, or a global IPv6 address.</summary>
    private static IPAddress? ReadProbe(ReadContext c, YamlNode node, string path)
    {
        IPAddress? a = NodeReader.Address(c, node, path);
        if (a is not null && a.AddressFamily == V6 && !PrefixMath.IsGlobalUnicast6(a))
        {
            c.Error(DiagnosticIds.UnusableAddress, node, path, $"'{a}' cannot be probed from the router's WAN: an IPv6 probe target must be a global unicast address (an IPv4 one is pinged through the tunnel).");
            return null;
        }

        return a;
    }

    private static int? ReadEncapLimit(ReadContext c, YamlNode node, string path) =>
        node is YamlScalarNode { Value: "none" } ? null : NodeReader.Int(c, node, path, 0, 255);

    private static TunnelRemote? ReadRemote(ReadContext c, YamlNode node, string path)
    {
        if (node is YamlScalarNode)
        {
            return GlobalAddress(c, node, path) is { } a ? new StaticRemote(a) : null;
        }

        if (MapReader.Open(c, node, path, "remote", "address", "fqdn", "discover") is not { } m)
        {
            return null;
        }

        TunnelRemote? result = OneOf<TunnelRemote>(m, "a remote: address, fqdn or discover",
            ("address", () => m.Get("address", GlobalAddress) is { } a ? new StaticRemote(a) : null),
            ("fqdn", () => m.Get("fqdn", NodeReader.DomainName) is { } f ? new FqdnRemote(f) : null),
            ("discover", () => m.Enum<RemoteDiscovery>("discover") is { } d ? new DiscoveredRemote(d) : null));
        m.Finish();
        return result;
    }

    private static TunnelLocal? ReadLocal(ReadContext c, YamlNode node, string path)
    {
        if (node is YamlScalarNode)
        {
            return GlobalAddress(c, node, path) is { } a ? new StaticLocal(a) : null;
        }

        if (MapReader.Open(c, node, path, "local", "fromInterface", "address") is not { } m)
        {
            return null;
        }

        TunnelLocal? result = OneOf<TunnelLocal>(m, "a local end: fromInterface or address",
            ("fromInterface", () => m.InterfaceName("fromInterface") is { } i ? new InterfaceLocal(i) : null),
            ("address", () => m.Get("address", GlobalAddress) is { } a ? new StaticLocal(a) : null));
        m.Finish();
        return result;
    }

    /// <summary>A tunnel end: an IPv6 address that reaches beyond the link.</summary>
    private static IPAddress? GlobalAddress(ReadContext c, YamlNode node, string path)
    {
        IPAddress? a = NodeReader.Address(c, node, path, V6);
        if (a is not null && !PrefixMath.IsGlobalUnicast6(a))
        {
            c.Error(DiagnosticIds.UnusableAddress, node, path, $"'{a}' cannot be a tunnel end: it must be a global IPv6 unicast address (not link-local, loopback or IPv4-mapped).");
            return null;
        }

        return a;
    }

    /// <summary>Reads a mapping that must hold exactly one of several keys.</summary>
    private static T? OneOf<T>(MapReader m, string what, params (string Key, Func<T?> Read)[] choices)
        where T : class
    {
        var present = choices.Where(ch => m.Has(ch.Key)).ToList();
        if (present.Count != 1)
        {
            foreach (var ch in choices)
            {
                m.Take(ch.Key);
            }

            string found = present.Count == 0 ? "none" : string.Join(" and ", present.Select(p => p.Key));
            m.Context.Error(DiagnosticIds.AmbiguousValue, m.Node, m.Path, $"Write exactly one of {string.Join(", ", choices.Select(ch => ch.Key))} for {what}; found {found}.");
            return null;
        }

        return present[0].Read();
    }

    private static PrefixDelegation? ReadDelegation(MapReader m)
    {
        string? name = m.RequiredName("name", interfaceName: false, "a name for the delegation, e.g. hgw.");
        string? iface = m.RequiredName("interface", interfaceName: true, "the WAN interface the DHCPv6 client runs on.");
        var pd = new PrefixDelegation(name ?? string.Empty, iface ?? string.Empty)
        {
            PrefixLength = m.Int("prefixLength", 32, 64),
            Duid = m.Enum<DuidType>("duid"),
            RapidCommit = m.Bool("rapidCommit"),
            Downstreams = m.Maps("downstream", "A downstream", ["interface", "subnetId", "host"], ReadDownstream) ?? ValueList<Downstream>.Empty,
        };
        return name is null || iface is null ? null : pd;
    }

    private static Downstream? ReadDownstream(MapReader m)
    {
        string? iface = m.RequiredName("interface", interfaceName: true, "the LAN interface that gets the /64.");
        int? id = m.Int("subnetId", 0, 65535);
        if (!m.Has("subnetId"))
        {
            m.Missing("subnetId", "which /64 of the delegated prefix, counted from 0.");
        }

        IPAddress? host = m.Get("host", ReadHost);
        return iface is not null && id is { } subnet ? new Downstream(iface, subnet) { Host = host } : null;
    }
}
