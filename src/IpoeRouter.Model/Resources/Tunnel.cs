namespace IpoeRouter.Model;

/// <summary>
/// An IPv4-over-IPv6 tunnel (YAML <c>tunnels</c>). For DS-Lite the link is a kernel ip6tnl in mode
/// ipip6 or the agent's user-space B4 (<see cref="Backend"/>); either carries the RFC 6333 B4
/// address and the IPv4 default route. The defaults match what transix expects.
/// </summary>
public sealed record Tunnel(string Name, TunnelRemote Remote, TunnelLocal Local)
{
    /// <summary>MTU used when none is declared: 1500 less the 40-byte IPv6 header.</summary>
    public const int DefaultMtu = 1460;

    /// <summary>The B4 element's IPv4 address on the tunnel (RFC 6333 §5.7: 192.0.0.2 in 192.0.0.0/29).</summary>
    public static readonly InterfaceAddress B4Address = new(System.Net.IPAddress.Parse("192.0.0.2"), 29);

    /// <summary>The AFTR's well-known IPv4 address across the tunnel (RFC 6333 §5.7), the default health probe.</summary>
    public static readonly System.Net.IPAddress AftrWellKnown = System.Net.IPAddress.Parse("192.0.0.1");

    /// <summary>Hop limit used when none is declared.</summary>
    public const int DefaultHopLimit = 64;

    /// <summary>How IPv4 is carried.</summary>
    public TunnelKind Kind { get; init; } = TunnelKind.DsLite;

    /// <summary>The link MTU (null: <see cref="DefaultMtu"/>).</summary>
    public int? Mtu { get; init; }

    /// <summary>The outer hop limit (null: <see cref="DefaultHopLimit"/>).</summary>
    public int? HopLimit { get; init; }

    /// <summary>The RFC 2473 encapsulation limit; null means <c>none</c> (no destination option), which AFTRs expect.</summary>
    public int? EncapLimit { get; init; }

    /// <summary>Whether the IPv4 default route goes through this tunnel (null: yes for DS-Lite).</summary>
    public bool? DefaultRoute { get; init; }

    /// <summary>What carries the packets: the kernel's ip6tnl, the agent's user-space B4, or whichever the kernel allows.</summary>
    public TunnelBackend Backend { get; init; } = TunnelBackend.Auto;

    /// <summary>
    /// Where the health probe pings (null: the AFTR's 192.0.0.1 across the tunnel when it answers, else
    /// the AFTR's IPv6 address). An IPv4 target is pinged through the tunnel, an IPv6 one from the WAN.
    /// </summary>
    public System.Net.IPAddress? Probe { get; init; }

    /// <summary>False asks for the tunnel to be absent.</summary>
    public bool Exist { get; init; } = true;

    /// <summary>The MTU in effect.</summary>
    public int EffectiveMtu => Mtu ?? DefaultMtu;

    /// <summary>Whether the IPv4 default route goes through this tunnel, defaults applied.</summary>
    public bool EffectiveDefaultRoute => DefaultRoute ?? Kind == TunnelKind.DsLite;
}
