using System.Net;

namespace IpoeRouter.Model;

/// <summary>
/// The embedded DNS forwarder (YAML <c>dnsForwarder</c>): answers on LAN addresses only, caches,
/// and forwards to upstreams learnt from the WAN or configured here.
/// </summary>
public sealed record DnsForwarder
{
    /// <summary>Cache entries used when none is declared.</summary>
    public const int DefaultCacheSize = 10_000;

    /// <summary>Whether the forwarder runs (null: yes when any LAN interface exists).</summary>
    public bool? Enabled { get; init; }

    /// <summary>Interfaces to answer on (empty: every LAN interface). Never the WAN.</summary>
    public ValueList<string> Interfaces { get; init; } = ValueList<string>.Empty;

    /// <summary>Configured upstream servers.</summary>
    public ValueList<IPAddress> Upstreams { get; init; } = ValueList<IPAddress>.Empty;

    /// <summary>Whether upstreams learnt from DHCPv6 option 23 and RA RDNSS are used (null: yes).</summary>
    public bool? UseLearnedUpstreams { get; init; }

    /// <summary>Cache size in entries (null: <see cref="DefaultCacheSize"/>).</summary>
    public int? CacheSize { get; init; }
}
