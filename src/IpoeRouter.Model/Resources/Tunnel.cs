namespace IpoeRouter.Model;

/// <summary>
/// An IPv4-over-IPv6 tunnel (YAML <c>tunnels</c>). For DS-Lite the kernel link is an ip6tnl in
/// mode ipip6; the defaults match what transix expects.
/// </summary>
public sealed record Tunnel(string Name, TunnelRemote Remote, TunnelLocal Local)
{
    /// <summary>MTU used when none is declared: 1500 less the 40-byte IPv6 header.</summary>
    public const int DefaultMtu = 1460;

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

    /// <summary>False asks for the tunnel to be absent.</summary>
    public bool Exist { get; init; } = true;

    /// <summary>The MTU in effect.</summary>
    public int EffectiveMtu => Mtu ?? DefaultMtu;

    /// <summary>Whether the IPv4 default route goes through this tunnel, defaults applied.</summary>
    public bool EffectiveDefaultRoute => DefaultRoute ?? Kind == TunnelKind.DsLite;
}
