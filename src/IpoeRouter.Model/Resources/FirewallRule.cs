namespace IpoeRouter.Model;

/// <summary>
/// One firewall rule (YAML <c>firewallRules</c>). Rules are evaluated in document order within
/// their chain; <c>input</c>, <c>forward</c> and <c>output</c> are the base chains, any other
/// chain name makes a user chain that rules can <see cref="Jump"/> to. All declared matches must
/// hold; then the rule logs (if <see cref="Log"/>), and applies <see cref="Action"/> or jumps.
/// </summary>
public sealed record FirewallRule(string Name, string Chain)
{
    /// <summary>The names of the base chains.</summary>
    public static IReadOnlyList<string> BaseChains { get; } = ["input", "forward", "output"];

    /// <summary>The family (null: both).</summary>
    public FirewallFamily? Family { get; init; }

    /// <summary>Incoming interface or tunnel name (<c>iif</c>).</summary>
    public string? InputInterface { get; init; }

    /// <summary>Outgoing interface or tunnel name (<c>oif</c>).</summary>
    public string? OutputInterface { get; init; }

    /// <summary>Layer-4 protocol: <c>tcp</c>, <c>udp</c>, <c>icmp</c>, <c>icmpv6</c>, ... or a number.</summary>
    public string? Protocol { get; init; }

    /// <summary>Source ports (tcp/udp).</summary>
    public ValueList<PortRange> SourcePorts { get; init; } = ValueList<PortRange>.Empty;

    /// <summary>Destination ports (tcp/udp).</summary>
    public ValueList<PortRange> DestinationPorts { get; init; } = ValueList<PortRange>.Empty;

    /// <summary>ICMP types (IPv4).</summary>
    public ValueList<int> IcmpTypes { get; init; } = ValueList<int>.Empty;

    /// <summary>ICMPv6 types.</summary>
    public ValueList<int> Icmpv6Types { get; init; } = ValueList<int>.Empty;

    /// <summary>Source address match.</summary>
    public AddressMatch? Source { get; init; }

    /// <summary>Destination address match.</summary>
    public AddressMatch? Destination { get; init; }

    /// <summary>Connection tracking states, any of which matches.</summary>
    public ValueList<ConnectionState> ConnectionStates { get; init; } = ValueList<ConnectionState>.Empty;

    /// <summary>TCP flags match.</summary>
    public TcpFlagsMatch? TcpFlags { get; init; }

    /// <summary>Rate limit.</summary>
    public RateLimit? Limit { get; init; }

    /// <summary>Log before the verdict.</summary>
    public LogAction? Log { get; init; }

    /// <summary>The verdict; null with no <see cref="Jump"/> means "continue" (a log-only rule).</summary>
    public RuleVerdict? Action { get; init; }

    /// <summary>A user chain to jump to.</summary>
    public string? Jump { get; init; }

    /// <summary>Free text kept with the rule (nft comment).</summary>
    public string? Comment { get; init; }

    /// <summary>True for the base chains.</summary>
    public bool InBaseChain => BaseChains.Contains(Chain);
}
