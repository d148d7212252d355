using System.Net;

namespace IpoeRouter.Model;

/// <summary>What the router offers IPv6 clients on the scope's interface besides RA.</summary>
public enum Ipv6Mode
{
    /// <summary>RA with the O flag and a stateless DHCPv6 server for DNS and domain list (what the HGW and the seed do).</summary>
    Stateless,

    /// <summary>RA only (RDNSS/DNSSL in the RA), no DHCPv6.</summary>
    RaOnly,

    /// <summary>Nothing for IPv6 on this interface.</summary>
    None,
}

/// <summary>An inclusive IPv4 address range <c>first-last</c>.</summary>
public sealed record AddressRange(IPAddress First, IPAddress Last)
{
    /// <summary>How many addresses the range holds.</summary>
    public long Size => (long)PrefixMath.ToUInt32(Last) - PrefixMath.ToUInt32(First) + 1;

    /// <summary>True when <paramref name="address"/> lies in the range.</summary>
    public bool Contains(IPAddress address)
    {
        uint a = PrefixMath.ToUInt32(address);
        return a >= PrefixMath.ToUInt32(First) && a <= PrefixMath.ToUInt32(Last);
    }

    /// <inheritdoc/>
    public override string ToString() => First + "-" + Last;
}

/// <summary>A fixed address for one client, matched by MAC address or client identifier.</summary>
public sealed record DhcpReservation(IPAddress Address)
{
    /// <summary>The client's MAC, lower-case colon form.</summary>
    public string? Mac { get; init; }

    /// <summary>The client identifier (option 61) as hex bytes <c>01:aa:bb:...</c>.</summary>
    public string? ClientId { get; init; }

    /// <summary>The name the DNS forwarder answers for it.</summary>
    public string? Hostname { get; init; }
}

/// <summary>
/// DHCP service on one interface (YAML <c>dhcpScopes</c>): the IPv4 pool and options, and how
/// IPv6 clients are served. Options left null are derived (router and DNS default to the
/// interface's own IPv4 address).
/// </summary>
public sealed record DhcpScope(string Name, string Interface)
{
    /// <summary>Lease time used when none is declared.</summary>
    public static TimeSpan DefaultLeaseTime { get; } = TimeSpan.FromHours(12);

    /// <summary>The dynamic pool; null serves reservations only.</summary>
    public AddressRange? Range { get; init; }

    /// <summary>Lease time (null: <see cref="DefaultLeaseTime"/>).</summary>
    public TimeSpan? LeaseTime { get; init; }

    /// <summary>Option 3; null: the interface's address.</summary>
    public IPAddress? Router { get; init; }

    /// <summary>Option 6; empty: the interface's address (the router's forwarder).</summary>
    public ValueList<IPAddress> DnsServers { get; init; } = ValueList<IPAddress>.Empty;

    /// <summary>Option 42.</summary>
    public ValueList<IPAddress> NtpServers { get; init; } = ValueList<IPAddress>.Empty;

    /// <summary>Option 15, and the domain DHCP clients' names are answered under.</summary>
    public string? Domain { get; init; }

    /// <summary>Option 119 (IPv4) and the DNSSL / domain list (IPv6).</summary>
    public ValueList<string> SearchList { get; init; } = ValueList<string>.Empty;

    /// <summary>How IPv6 clients are served (null: stateless).</summary>
    public Ipv6Mode? Ipv6Mode { get; init; }

    /// <summary>Fixed addresses.</summary>
    public ValueList<DhcpReservation> Reservations { get; init; } = ValueList<DhcpReservation>.Empty;
}
