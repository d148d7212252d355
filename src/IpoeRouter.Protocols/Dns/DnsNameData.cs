namespace IpoeRouter.Protocols.Dns;

/// <summary>The RDATA of NS, CNAME or PTR (RFC 1035 §3.3.11, §3.3.1, §3.3.12): one domain name.</summary>
public sealed record DnsNameData(DnsName Name) : DnsRecordData;
