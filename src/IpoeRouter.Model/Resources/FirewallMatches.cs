using System.Globalization;

namespace IpoeRouter.Model;

/// <summary>The address family a firewall rule applies to.</summary>
public enum FirewallFamily
{
    /// <summary>Both IPv4 and IPv6.</summary>
    Inet,

    /// <summary>IPv4 only.</summary>
    Ip,

    /// <summary>IPv6 only.</summary>
    Ip6,
}

/// <summary>A connection tracking state (<c>ct state</c>).</summary>
public enum ConnectionState
{
    /// <summary>The first packet of a connection.</summary>
    New,

    /// <summary>A packet of a connection seen both ways.</summary>
    Established,

    /// <summary>A packet related to a tracked connection (ICMP errors, FTP data).</summary>
    Related,

    /// <summary>A packet conntrack could not place.</summary>
    Invalid,

    /// <summary>A packet exempted from tracking.</summary>
    Untracked,
}

/// <summary>A TCP header flag.</summary>
public enum TcpFlag
{
    /// <summary>FIN.</summary>
    Fin,

    /// <summary>SYN.</summary>
    Syn,

    /// <summary>RST.</summary>
    Rst,

    /// <summary>PSH.</summary>
    Psh,

    /// <summary>ACK.</summary>
    Ack,

    /// <summary>URG.</summary>
    Urg,

    /// <summary>ECE.</summary>
    Ece,

    /// <summary>CWR.</summary>
    Cwr,
}

/// <summary>Matches when the flags in <see cref="Mask"/> are exactly those in <see cref="Set"/> (<c>--tcp-flags RST RST</c>).</summary>
public sealed record TcpFlagsMatch(ValueList<TcpFlag> Mask, ValueList<TcpFlag> Set);

/// <summary>An inclusive port range; a single port has <see cref="First"/> equal to <see cref="Last"/>.</summary>
public sealed record PortRange(int First, int Last)
{
    /// <inheritdoc/>
    public override string ToString() => First == Last
        ? First.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{First}-{Last}");
}

/// <summary>The unit of a rate.</summary>
public enum RateUnit
{
    /// <summary>Per second.</summary>
    Second,

    /// <summary>Per minute.</summary>
    Minute,

    /// <summary>Per hour.</summary>
    Hour,

    /// <summary>Per day.</summary>
    Day,
}

/// <summary>
/// A rate limit (<c>limit: { rate: 6/second, burst: 1, over: true, perSource: true }</c>). With
/// <see cref="Over"/> the rule matches packets above the rate (to drop or log a flood); with
/// <see cref="PerSource"/> each source address has its own bucket (an nft meter), which is how
/// ip6tables' <c>recent --hitcount</c> is expressed.
/// </summary>
public sealed record RateLimit(int Count, RateUnit Unit)
{
    /// <summary>Packets allowed above the rate in a burst.</summary>
    public int? Burst { get; init; }

    /// <summary>Match above the rate instead of below it.</summary>
    public bool Over { get; init; }

    /// <summary>One bucket per source address.</summary>
    public bool PerSource { get; init; }

    /// <summary>The rate as text, <c>6/second</c>.</summary>
    public string RateText => string.Create(CultureInfo.InvariantCulture, $"{Count}/{Unit.ToString().ToLowerInvariant()}");
}

/// <summary>Log the packet with a prefix, as <c>-j LOG --log-prefix</c> does.</summary>
public sealed record LogAction(string Prefix);

/// <summary>What a rule does with a packet it matches.</summary>
public enum RuleVerdict
{
    /// <summary>Let it through.</summary>
    Accept,

    /// <summary>Discard it silently.</summary>
    Drop,

    /// <summary>Discard it and tell the sender (ICMP or TCP RST).</summary>
    Reject,

    /// <summary>Return to the calling chain.</summary>
    Return,
}

/// <summary>The policy of a base chain.</summary>
public enum ChainPolicy
{
    /// <summary>Packets no rule decided are accepted.</summary>
    Accept,

    /// <summary>Packets no rule decided are dropped.</summary>
    Drop,
}

/// <summary>A source or destination match: a prefix, or a binding to a runtime fact.</summary>
public abstract record AddressMatch;

/// <summary>A fixed prefix (<c>fe80::/10</c>).</summary>
public sealed record PrefixMatch(System.Net.IPNetwork Prefix) : AddressMatch
{
    /// <inheritdoc/>
    public override string ToString() => PrefixMath.Format(Prefix);
}

/// <summary>Whatever prefix delegation <see cref="Delegation"/> currently holds (<c>{ delegatedPrefix: hgw }</c>).</summary>
public sealed record DelegatedPrefixMatch(string Delegation) : AddressMatch
{
    /// <inheritdoc/>
    public override string ToString() => "delegated prefix of " + Delegation;
}

/// <summary>The current subnet(s) of a LAN interface, IPv4 and delegated IPv6 (<c>{ lanSubnet: enp2s0 }</c>).</summary>
public sealed record LanSubnetMatch(string Interface) : AddressMatch
{
    /// <inheritdoc/>
    public override string ToString() => "LAN subnet of " + Interface;
}

/// <summary>The current remote address of a tunnel (<c>{ tunnelRemote: ip6tnl1 }</c>).</summary>
public sealed record TunnelRemoteMatch(string Tunnel) : AddressMatch
{
    /// <inheritdoc/>
    public override string ToString() => "remote of tunnel " + Tunnel;
}
