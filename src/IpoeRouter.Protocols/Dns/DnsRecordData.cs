namespace IpoeRouter.Protocols.Dns;

/// <summary>
/// The RDATA of a resource record. The types whose data holds names that may be compressed (RFC
/// 3597 §4: NS, CNAME, SOA, PTR, MX) are decoded, so that re-encoding writes those names whole or
/// against the new message; A and AAAA are decoded for convenience; every other type, OPT
/// included, is kept raw (<see cref="DnsRawData"/>) and re-encoded byte for byte.
/// </summary>
public abstract record DnsRecordData;
