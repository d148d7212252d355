namespace IpoeRouter.Protocols.Dns;

/// <summary>Resource record TYPE and QTYPE values (RFC 1035 §3.2.2, §3.2.3; AAAA RFC 3596; OPT RFC 6891).</summary>
public enum DnsType : ushort
{
    /// <summary>A host address (IPv4).</summary>
    A = 1,

    /// <summary>An authoritative name server.</summary>
    Ns = 2,

    /// <summary>The canonical name for an alias.</summary>
    Cname = 5,

    /// <summary>The start of a zone of authority; its MINIMUM bounds negative caching (RFC 2308 §5).</summary>
    Soa = 6,

    /// <summary>A domain name pointer (reverse lookups under in-addr.arpa and ip6.arpa).</summary>
    Ptr = 12,

    /// <summary>Mail exchange.</summary>
    Mx = 15,

    /// <summary>Text strings.</summary>
    Txt = 16,

    /// <summary>An IPv6 host address (RFC 3596).</summary>
    Aaaa = 28,

    /// <summary>Service location (RFC 2782).</summary>
    Srv = 33,

    /// <summary>The EDNS(0) pseudo-record (RFC 6891 §6.1): CLASS is the UDP payload size, TTL the extended RCODE and flags.</summary>
    Opt = 41,

    /// <summary>QTYPE *: all records.</summary>
    Any = 255,
}
