namespace IpoeRouter.Engine.Planning;

/// <summary>An ordered plan: dependencies first (links, then sysctl, addresses, routes; removals in reverse). The same object is shown by -WhatIf, returned by Get-IpoePlan and logged by the agent.</summary>
public sealed record Plan(IReadOnlyList<ResourceDiff> Items)
{
    /// <summary>The items that change something.</summary>
    public IEnumerable<ResourceDiff> Actionable => Items.Where(i => i.IsActionable);

    /// <summary>The items waiting for a binding.</summary>
    public IEnumerable<ResourceDiff> Pending => Items.Where(i => i.Outcome == DiffOutcome.Pending);

    /// <summary>True when nothing would change.</summary>
    public bool IsEmpty => !Actionable.Any();
}

/// <summary>
/// Facts that exist only at run time and that bindings resolve to: the prefix each delegation holds
/// (from the DHCPv6-PD client). WAN addresses are read from the kernel itself.
/// </summary>
public sealed record RuntimeFacts
{
    /// <summary>No facts known yet.</summary>
    public static RuntimeFacts None { get; } = new();

    /// <summary>Delegation name → the prefix it currently holds.</summary>
    public IReadOnlyDictionary<string, System.Net.IPNetwork> DelegatedPrefixes { get; init; } = new Dictionary<string, System.Net.IPNetwork>();

    /// <summary>
    /// Delegations known to have lost their prefix (it expired, or the server withdrew it without a
    /// new one): the addresses the engine made from them are removed. A delegation merely not bound
    /// yet (at start-up) keeps its addresses until it is, so a restart does not flap the LAN.
    /// </summary>
    public IReadOnlySet<string> LostDelegations { get; init; } = new HashSet<string>();

    /// <summary>
    /// Interface name → the IPv4 address its DHCPv4 client holds (<c>dhcp4: true</c>). An interface
    /// without an entry has no lease: an address the engine put there from an earlier one is removed.
    /// </summary>
    public IReadOnlyDictionary<string, LeasedAddress> Dhcp4Addresses { get; init; } = new Dictionary<string, LeasedAddress>();

    /// <summary>
    /// Tunnel name → its AFTR as resolved at run time (<c>remote: { fqdn }</c> or <c>{ discover: dhcpv6 }</c>):
    /// the address, or why there is none yet. A tunnel without an entry has not been resolved (no agent).
    /// </summary>
    public IReadOnlyDictionary<string, ResolvedRemote> TunnelRemotes { get; init; } = new Dictionary<string, ResolvedRemote>();
}

/// <summary>A tunnel's AFTR found at run time.</summary>
/// <param name="Address">The AFTR's IPv6 address, or null while it cannot be resolved.</param>
/// <param name="Detail">How it was found, or why not ("gw.example AAAA 2001:db8::1 from 2001:db8::53, TTL 300 s"; "2001:db8::53: NXDOMAIN").</param>
public sealed record ResolvedRemote(System.Net.IPAddress? Address, string Detail);

/// <summary>
/// An address held on lease: installed with the lease's remaining time as its valid and preferred
/// lifetimes, so the kernel removes it when the lease runs out even if nobody is left to renew it.
/// </summary>
/// <param name="Address">The address.</param>
/// <param name="PrefixLength">The on-link subnet's length.</param>
/// <param name="ValidSeconds">Seconds the lease has left; null for an infinite lease.</param>
public sealed record LeasedAddress(System.Net.IPAddress Address, int PrefixLength, uint? ValidSeconds);
