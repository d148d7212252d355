using System.Net;

namespace IpoeRouter.Protocols.Dns;

/// <summary>The RDATA of A (RFC 1035 §3.4.1, 4 bytes) or AAAA (RFC 3596 §2.2, 16 bytes): one address.</summary>
public sealed record DnsAddressData(IPAddress Address) : DnsRecordData;
