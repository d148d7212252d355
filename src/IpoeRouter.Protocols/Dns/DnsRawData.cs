using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Protocols.Dns;

/// <summary>RDATA kept as it came (RFC 3597 §5 treats unknown types as opaque bytes); also OPT's options.</summary>
public sealed record DnsRawData(ByteString Bytes) : DnsRecordData;
