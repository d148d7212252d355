namespace IpoeRouter.Protocols.Dns;

/// <summary>
/// The RDATA of SOA (RFC 1035 §3.3.13). In a negative answer's authority section, the lesser of the
/// record's TTL and <see cref="Minimum"/> is how long the answer may be cached (RFC 2308 §5).
/// </summary>
public sealed record DnsSoaData(DnsName PrimaryServer, DnsName Mailbox, uint Serial, uint Refresh, uint Retry, uint Expire, uint Minimum) : DnsRecordData;
