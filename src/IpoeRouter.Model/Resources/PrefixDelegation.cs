using System.Net;

namespace IpoeRouter.Model;

/// <summary>The DUID type the DHCPv6 client identifies itself with (RFC 8415 §11).</summary>
public enum DuidType
{
    /// <summary>DUID-LL, link-layer address only. Required directly on the NGN (no HGW, /56).</summary>
    Ll,

    /// <summary>DUID-LLT, link-layer address plus time.</summary>
    Llt,

    /// <summary>DUID-EN, enterprise number plus identifier.</summary>
    En,
}

/// <summary>
/// One LAN's share of a delegated prefix: the /64 with <see cref="SubnetId"/> goes to
/// <see cref="Interface"/>, which gets the address with interface identifier <see cref="Host"/>
/// in it and announces it by RA.
/// </summary>
public sealed record Downstream(string Interface, int SubnetId)
{
    /// <summary>The router's interface identifier in the /64 (null: <c>::1</c>).</summary>
    public IPAddress? Host { get; init; }

    /// <summary>The interface identifier in effect.</summary>
    public IPAddress EffectiveHost => Host ?? DelegatedAddress.DefaultHost;
}

/// <summary>
/// A DHCPv6 prefix delegation (YAML <c>prefixDelegations</c>): the client runs on
/// <see cref="Interface"/> and splits what it gets onto the <see cref="Downstreams"/> by subnet id.
/// How many /64s exist follows from the delegated length; nobody sets <c>sla-len</c>.
/// </summary>
public sealed record PrefixDelegation(string Name, string Interface)
{
    /// <summary>
    /// The length expected from upstream (an HGW gives /60, the NGN directly /56). Sent as a hint
    /// and used to check subnet ids before anything is delegated; null: only checked at run time.
    /// </summary>
    public int? PrefixLength { get; init; }

    /// <summary>The DUID type (null: DUID-LL).</summary>
    public DuidType? Duid { get; init; }

    /// <summary>Whether to ask for Rapid Commit (null: no).</summary>
    public bool? RapidCommit { get; init; }

    /// <summary>The LANs that get a /64 of the delegation.</summary>
    public ValueList<Downstream> Downstreams { get; init; } = ValueList<Downstream>.Empty;
}
