namespace IpoeRouter.Model;

/// <summary>How IPv4 is carried over the IPv6 access line.</summary>
public enum TunnelKind
{
    /// <summary>DS-Lite (RFC 6333): IPv4-in-IPv6 to an AFTR that does the NAT (transix, Xpass, v6 connect). ip6tnl mode ipip6.</summary>
    DsLite,

    /// <summary>MAP-E (RFC 7597): the CE computes its IPv4 address and port sets from the prefix (v6plus, OCN). Not built yet.</summary>
    MapE,

    /// <summary>A fixed-address IPv4-in-IPv6 tunnel (IPIP over IPv6 with a static IPv4). Not built yet.</summary>
    Ipip,
}
