using System.Net;
using System.Net.Sockets;
using IpoeRouter.Protocols.Dhcp4;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Services.Dhcp4Server;

/// <summary>An inclusive IPv4 address range <c>first-last</c>: a scope's dynamic pool.</summary>
/// <param name="First">The lowest address of the range.</param>
/// <param name="Last">The highest address of the range (at least <paramref name="First"/>).</param>
public sealed record Dhcp4AddressRange(IPAddress First, IPAddress Last)
{
    /// <summary>How many addresses the range holds.</summary>
    public long Size => (long)Ipv4Number.From(Last) - Ipv4Number.From(First) + 1;

    /// <summary>True when <paramref name="address"/> lies in the range.</summary>
    public bool Contains(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }

        uint a = Ipv4Number.From(address);
        return a >= Ipv4Number.From(First) && a <= Ipv4Number.From(Last);
    }

    /// <inheritdoc/>
    public override string ToString() => First + "-" + Last;
}

/// <summary>
/// A fixed address for one client, matched by its MAC (<c>chaddr</c>), by its client identifier
/// (option 61), or by either when both are given. The address is only ever given to a client that
/// matches; it may lie inside the pool (it is then taken out of dynamic allocation) or outside it
/// (but inside the subnet).
/// </summary>
/// <param name="Address">The reserved address.</param>
public sealed record Dhcp4Reservation(IPAddress Address)
{
    /// <summary>The client's hardware address as it appears in <c>chaddr</c> (6 bytes for Ethernet), or null.</summary>
    public ByteString? Mac { get; init; }

    /// <summary>
    /// The whole body of the client's option 61, the type byte included (<c>01:aa:bb:cc:dd:ee:ff</c>
    /// for an Ethernet-typed identifier), or null.
    /// </summary>
    public ByteString? ClientId { get; init; }

    /// <summary>The host name sent in option 12 to the client (when it asks for it) and kept in its lease, or null.</summary>
    public string? HostName { get; init; }
}

/// <summary>
/// How many messages one client (one <c>htype</c> + <c>chaddr</c>) may send in a sliding window
/// before the server drops the rest unanswered; the drops are counted.
/// </summary>
/// <param name="MaxMessages">Messages accepted per window.</param>
/// <param name="Window">The window's length.</param>
public sealed record Dhcp4RateLimit(int MaxMessages, TimeSpan Window)
{
    /// <summary>10 messages per 10 s: a DORA plus several retransmissions, far below a looping client.</summary>
    public static Dhcp4RateLimit Default { get; } = new(10, TimeSpan.FromSeconds(10));
}

/// <summary>
/// One DHCPv4 scope as the server sees it (RFC 2131, RFC 2132): the router's own address on the
/// LAN (also the Server Identifier, option 54), the subnet, the dynamic pool, lease timers, the
/// options handed out, reservations, and the server's own guards (offer hold, decline quarantine,
/// per-client rate limit). The engine maps the Model's <c>DhcpScope</c> onto it; Services does not
/// know the Model. <see cref="Validate"/> names the first inconsistency.
/// </summary>
/// <param name="Name">The scope's name, used in reasons and logs.</param>
/// <param name="ServerAddress">The router's IPv4 address on the LAN: option 54, and never leased.</param>
/// <param name="Subnet">The LAN's IPv4 subnet: option 1, and what addresses a client may hold.</param>
public sealed record Dhcp4ScopeConfig(string Name, IPAddress ServerAddress, IPNetwork Subnet)
{
    /// <summary>The lease time when none is set (12 h, as the Model's default).</summary>
    public static TimeSpan DefaultLeaseTime { get; } = TimeSpan.FromHours(12);

    /// <summary>The dynamic pool; null serves reservations only.</summary>
    public Dhcp4AddressRange? Pool { get; init; }

    /// <summary>The lease time given in every OFFER and ACK (option 51); whole seconds are sent.</summary>
    public TimeSpan LeaseTime { get; init; } = DefaultLeaseTime;

    /// <summary>T1, option 58; null: half of <see cref="LeaseTime"/> (RFC 2131 §4.4.5).</summary>
    public TimeSpan? RenewalTime { get; init; }

    /// <summary>T2, option 59; null: 0.875 of <see cref="LeaseTime"/> (RFC 2131 §4.4.5).</summary>
    public TimeSpan? RebindingTime { get; init; }

    /// <summary>Option 3; null sends none.</summary>
    public IPAddress? Router { get; init; }

    /// <summary>Option 6; empty sends none.</summary>
    public IReadOnlyList<IPAddress> DnsServers { get; init; } = [];

    /// <summary>Option 42; empty sends none.</summary>
    public IReadOnlyList<IPAddress> NtpServers { get; init; } = [];

    /// <summary>Option 15; null sends none.</summary>
    public string? DomainName { get; init; }

    /// <summary>Option 119 (RFC 3397); empty sends none.</summary>
    public IReadOnlyList<string> SearchList { get; init; } = [];

    /// <summary>
    /// Option 121 (RFC 3442); empty sends none. A client that takes option 121 ignores option 3, so
    /// when a <see cref="Router"/> is set and these routes lack 0.0.0.0/0, the server adds it.
    /// </summary>
    public IReadOnlyList<ClasslessRoute> ClasslessRoutes { get; init; } = [];

    /// <summary>Fixed addresses.</summary>
    public IReadOnlyList<Dhcp4Reservation> Reservations { get; init; } = [];

    /// <summary>How long an OFFER keeps its address from other clients while the client decides.</summary>
    public TimeSpan OfferHoldTime { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an address a client DECLINEd (found in use) is kept out of allocation.</summary>
    public TimeSpan DeclineQuarantine { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The per-client message limit.</summary>
    public Dhcp4RateLimit RateLimit { get; init; } = Dhcp4RateLimit.Default;

    /// <summary>T1 as applied: <see cref="RenewalTime"/> or half the lease.</summary>
    public TimeSpan EffectiveRenewalTime => RenewalTime ?? LeaseTime * 0.5;

    /// <summary>T2 as applied: <see cref="RebindingTime"/> or 0.875 of the lease.</summary>
    public TimeSpan EffectiveRebindingTime => RebindingTime ?? LeaseTime * 0.875;

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the first inconsistency: a non-IPv4 address;
    /// the server or the pool outside the subnet; a lease time out of range, or T1 ≤ T2 ≤ lease not
    /// holding; a rate limit that lets nothing through; a reservation outside the subnet, on the
    /// server's address or without an identifier; two reservations for one address or one client.
    /// </summary>
    public void Validate()
    {
        RequireIpv4(ServerAddress, nameof(ServerAddress));
        RequireIpv4(Subnet.BaseAddress, nameof(Subnet));
        if (!Subnet.Contains(ServerAddress))
        {
            throw new ArgumentException($"Scope {Name}: the server address {ServerAddress} is outside {Subnet}.", nameof(ServerAddress));
        }

        if (Pool is { } pool)
        {
            RequireIpv4(pool.First, nameof(Pool));
            RequireIpv4(pool.Last, nameof(Pool));
            if (!Subnet.Contains(pool.First) || !Subnet.Contains(pool.Last) || pool.Size < 1)
            {
                throw new ArgumentException($"Scope {Name}: the pool {pool} is not a range inside {Subnet}.", nameof(Pool));
            }
        }

        if (LeaseTime < TimeSpan.FromSeconds(1) || LeaseTime.TotalSeconds >= LeaseTimeOption.Infinite)
        {
            throw new ArgumentException($"Scope {Name}: the lease time {LeaseTime} is not between 1 s and 0xfffffffe s.", nameof(LeaseTime));
        }

        if (EffectiveRenewalTime < TimeSpan.Zero || EffectiveRenewalTime > EffectiveRebindingTime || EffectiveRebindingTime > LeaseTime)
        {
            throw new ArgumentException($"Scope {Name}: T1 {EffectiveRenewalTime} ≤ T2 {EffectiveRebindingTime} ≤ lease {LeaseTime} does not hold.", nameof(RenewalTime));
        }

        if (RateLimit.MaxMessages < 1 || RateLimit.Window <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Scope {Name}: the rate limit {RateLimit.MaxMessages} per {RateLimit.Window} lets nothing through.", nameof(RateLimit));
        }

        if (Router is not null)
        {
            RequireIpv4(Router, nameof(Router));
        }

        foreach (IPAddress server in DnsServers)
        {
            RequireIpv4(server, nameof(DnsServers));
        }

        foreach (IPAddress server in NtpServers)
        {
            RequireIpv4(server, nameof(NtpServers));
        }

        var seen = new HashSet<IPAddress>();
        var macs = new HashSet<ByteString>();
        var ids = new HashSet<ByteString>();
        foreach (Dhcp4Reservation r in Reservations)
        {
            RequireIpv4(r.Address, nameof(Reservations));
            if (!Subnet.Contains(r.Address) || r.Address.Equals(ServerAddress))
            {
                throw new ArgumentException($"Scope {Name}: the reserved address {r.Address} is outside {Subnet} or is the server's.", nameof(Reservations));
            }

            if (r.Mac is not { Length: > 0 } && r.ClientId is not { Length: > 0 })
            {
                throw new ArgumentException($"Scope {Name}: the reservation of {r.Address} names neither a MAC nor a client identifier.", nameof(Reservations));
            }

            if (!seen.Add(r.Address))
            {
                throw new ArgumentException($"Scope {Name}: {r.Address} is reserved twice.", nameof(Reservations));
            }

            if ((r.Mac is { } mac && !macs.Add(mac)) || (r.ClientId is { } id && !ids.Add(id)))
            {
                throw new ArgumentException($"Scope {Name}: the client of the reservation of {r.Address} already has another reservation.", nameof(Reservations));
            }
        }
    }

    private void RequireIpv4(IPAddress address, string name)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"Scope {Name}: {address} is not an IPv4 address.", name);
        }
    }
}
