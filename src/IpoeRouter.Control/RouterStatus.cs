using System.Text.Json.Serialization;

namespace IpoeRouter.Control;

/// <summary>What <c>Get-IpoeStatus</c> shows: the router as the agent sees it at <see cref="At"/>.</summary>
public sealed record RouterStatus(
    DateTimeOffset At,
    string DocumentPath,
    int AgentPid,
    IReadOnlyList<WanStatus> Wan,
    IReadOnlyList<DelegationStatus> Delegations,
    IReadOnlyList<LanStatus> Lans,
    IReadOnlyList<ServiceStatus> Services,
    ReconcileStatus Reconcile)
{
    /// <summary>The DHCPv4 server of each LAN that has one.</summary>
    public IReadOnlyList<Dhcp4ScopeStatus> Dhcp4 { get; init; } = [];

    /// <summary>The DNS forwarder, null when the document has none.</summary>
    public DnsStatus? Dns { get; init; }

    /// <summary>The DHCPv4 client of each interface with <c>dhcp4: true</c>.</summary>
    public IReadOnlyList<Dhcp4ClientStatus> Wan4 { get; init; } = [];

    /// <summary>The document the agent runs, and the last one it refused.</summary>
    public DocumentStatus? Document { get; init; }

    /// <summary>The network namespace the agent serves (inode@boot), so a cmdlet can tell whether this agent is the router it acts on.</summary>
    public string? Namespace { get; init; }

    /// <summary>Each declared tunnel: its backend, ends, health and traffic.</summary>
    public IReadOnlyList<TunnelStatus> Tunnels { get; init; } = [];
}

/// <summary>A tunnel as the agent runs it.</summary>
/// <param name="Name">The tunnel's link.</param>
/// <param name="Backend">kernel or userspace: what carries it.</param>
/// <param name="State">Up (the last probe through it answered), Down (probes fail; the router keeps trying), Pending (not built yet: see <see cref="Reason"/>), or Unknown (not probed yet).</param>
/// <param name="Local">The WAN address it leaves from.</param>
/// <param name="Remote">The AFTR.</param>
public sealed record TunnelStatus(string Name, string Backend, string State, string? Local, string? Remote)
{
    /// <summary>Why this backend (auto: what the kernel has), or why the tunnel is pending.</summary>
    public string? Reason { get; init; }

    /// <summary>How the AFTR's address was found (name, server, TTL), or why it was not.</summary>
    public string? RemoteDetail { get; init; }

    /// <summary>What the health probe pings, and its last round trip in milliseconds.</summary>
    public string? ProbeTarget { get; init; }

    /// <summary>The last answered probe's round trip, in milliseconds.</summary>
    public double? ProbeRttMs { get; init; }

    /// <summary>When <see cref="State"/> last changed.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>IPv4 packets and bytes sent to the AFTR (user-space B4; the link's counters for the kernel's).</summary>
    public long PacketsOut { get; init; }

    /// <summary>Bytes sent to the AFTR.</summary>
    public long BytesOut { get; init; }

    /// <summary>IPv4 packets received from the AFTR.</summary>
    public long PacketsIn { get; init; }

    /// <summary>Bytes received from the AFTR.</summary>
    public long BytesIn { get; init; }

    /// <summary>Packets dropped by the B4 (no path, not IPv4, not from the AFTR, send errors).</summary>
    public long Dropped { get; init; }

    /// <summary>The last error: a failed probe, a refused send.</summary>
    public string? LastError { get; init; }
}

/// <summary>The document the agent runs.</summary>
/// <param name="Path">The file.</param>
/// <param name="LoadedAt">When the running version was read.</param>
/// <param name="Fingerprint">A fingerprint of the running version's bytes (changes with every edit).</param>
public sealed record DocumentStatus(string Path, DateTimeOffset LoadedAt, string Fingerprint)
{
    /// <summary>When a newer version was refused (invalid), null when the file on disk is the one running.</summary>
    public DateTimeOffset? RefusedAt { get; init; }

    /// <summary>Why it was refused: the errors with file:line:col.</summary>
    public IReadOnlyList<string> RefusedErrors { get; init; } = [];
}

/// <summary>A WAN interface's DHCPv4 client.</summary>
/// <param name="Interface">The interface.</param>
/// <param name="State">The client's state (RFC 2131 §4.4: Init, Selecting, Requesting, Bound, Renewing, Rebinding …).</param>
/// <param name="Address">The leased address with its prefix length, null without a lease.</param>
/// <param name="Server">The server that granted it.</param>
/// <param name="DnsServers">The DNS servers it named (the forwarder's upstreams unless the document says otherwise).</param>
/// <param name="RenewAt">When the client renews.</param>
/// <param name="ExpiresAt">When the lease runs out (null: infinite).</param>
public sealed record Dhcp4ClientStatus(string Interface, string State, string? Address, string? Server, IReadOnlyList<string> DnsServers, DateTimeOffset? RenewAt, DateTimeOffset? ExpiresAt);

/// <summary>The DNS forwarder.</summary>
/// <param name="Listening">The addresses it answers on, with their interfaces.</param>
/// <param name="Upstreams">The servers it forwards to, in the order tried.</param>
/// <param name="Domain">The local domain.</param>
/// <param name="Names">The local names from DHCPv4 leases, as <c>name.domain address</c>.</param>
/// <param name="Queries">Queries received.</param>
/// <param name="LocalAnswers">Answered from the local names.</param>
/// <param name="CacheHits">Answered from the cache.</param>
/// <param name="Forwarded">Sent upstream.</param>
/// <param name="Failures">Answered with SERVFAIL (no upstream, or none answered).</param>
/// <param name="Dropped">Not answered (malformed, or too many in flight).</param>
public sealed record DnsStatus(IReadOnlyList<string> Listening, IReadOnlyList<string> Upstreams, string Domain, IReadOnlyList<string> Names,
    long Queries, long LocalAnswers, long CacheHits, long Forwarded, long Failures, long Dropped)
{
    /// <summary>Why an address it should answer on could not be opened (a port held by another program), if so.</summary>
    public string? ListenError { get; init; }
}

/// <summary>A WAN interface: its IPv6 addresses and the default routes its RAs installed.</summary>
public sealed record WanStatus(string Interface, IReadOnlyList<WanAddress> Addresses, IReadOnlyList<WanDefaultRoute> DefaultRoutes);

/// <summary>One address with its lifetimes left in seconds (null: forever).</summary>
public sealed record WanAddress(string Address, int PrefixLength, string Scope, long? ValidSeconds, long? PreferredSeconds);

/// <summary>An IPv6 default route on the WAN: the router that sent it, who installed it, and how long it has left (null: no expiry).</summary>
public sealed record WanDefaultRoute(string? Gateway, string Origin, long? ExpiresSeconds);

/// <summary>A prefix delegation: the PD client's state and what it holds.</summary>
public sealed record DelegationStatus(
    string Name,
    string Interface,
    string State,
    string? Prefix,
    DateTimeOffset? PreferredUntil,
    DateTimeOffset? ValidUntil,
    DateTimeOffset? RenewAt,
    DateTimeOffset? RebindAt,
    IReadOnlyList<string> DnsServers,
    string? AftrName,
    string? ClientDuid);

/// <summary>A LAN: its current /64, the ones being deprecated, and its services' last activity.</summary>
public sealed record LanStatus(
    string Interface,
    string? Prefix,
    IReadOnlyList<string> Deprecated,
    DateTimeOffset? LastAnnounced,
    int AnnouncementsSent,
    bool StatelessDhcp,
    long InformationRepliesSent);

/// <summary>One LAN's DHCPv4 server.</summary>
/// <param name="Interface">The LAN.</param>
/// <param name="Pool">The dynamic range, or null for reservations only.</param>
/// <param name="PoolSize">Addresses in the range.</param>
/// <param name="Leases">The bound leases not yet run out, by address.</param>
/// <param name="Received">Datagrams received.</param>
/// <param name="Replied">Replies sent.</param>
/// <param name="Unwritten">Replies dropped because their lease could not be written to disk.</param>
public sealed record Dhcp4ScopeStatus(string Interface, string? Pool, long PoolSize, IReadOnlyList<Dhcp4LeaseStatus> Leases, long Received, long Replied, long Unwritten);

/// <summary>One bound DHCPv4 lease.</summary>
/// <param name="Address">The leased address.</param>
/// <param name="HardwareAddress">The client's MAC.</param>
/// <param name="HostName">The client's name, when known.</param>
/// <param name="Expiry">When the lease runs out unless renewed.</param>
public sealed record Dhcp4LeaseStatus(string Address, string HardwareAddress, string? HostName, DateTimeOffset Expiry);

/// <summary>One embedded service: running, stopped or failed (with why).</summary>
public sealed record ServiceStatus(string Name, string State, string? Error);

/// <summary>The last reconcile pass the agent ran, and what started passes so far.</summary>
/// <param name="Last">When the last pass ended.</param>
/// <param name="Outcome">Converged, Pending, Failed, Held or NotRun.</param>
/// <param name="Pending">The items waiting for a binding, with why.</param>
/// <param name="Error">Why the last pass failed.</param>
public sealed record ReconcileStatus(DateTimeOffset? Last, string Outcome, IReadOnlyList<string> Pending, string? Error)
{
    /// <summary>The causes that started the last pass (<c>address</c>, <c>document</c>, <c>resync</c> …), each with what it was.</summary>
    public IReadOnlyList<string> Causes { get; init; } = [];

    /// <summary>The last pass's engine time in milliseconds, from its first cause's arrival to its end.</summary>
    public double? DurationMs { get; init; }

    /// <summary>Passes run since the agent started.</summary>
    public long Passes { get; init; }

    /// <summary>Causes seen since the agent started, by kind (a burst counts each event; it gives one pass).</summary>
    public IReadOnlyDictionary<string, long> CauseCounts { get; init; } = new Dictionary<string, long>();

    /// <summary>Passes since the agent started, by how they ended.</summary>
    public IReadOnlyDictionary<string, long> OutcomeCounts { get; init; } = new Dictionary<string, long>();

    /// <summary>The items the last pass applied.</summary>
    public IReadOnlyList<string> Applied { get; init; } = [];

    /// <summary>The apply waiting for confirmation, when one is held.</summary>
    public PendingApply? Held { get; init; }
}
