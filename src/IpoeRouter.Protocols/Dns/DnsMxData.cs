namespace IpoeRouter.Protocols.Dns;

/// <summary>The RDATA of MX (RFC 1035 §3.3.9): PREFERENCE and EXCHANGE.</summary>
public sealed record DnsMxData(ushort Preference, DnsName Exchange) : DnsRecordData;
