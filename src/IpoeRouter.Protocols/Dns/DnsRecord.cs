using System.Net;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Protocols.Dns;

/// <summary>
/// A resource record (RFC 1035 §4.1.3): NAME, TYPE, CLASS, TTL, RDLENGTH and RDATA. For OPT (RFC
/// 6891 §6.1.2) <see cref="Class"/> holds the requestor's UDP payload size and <see cref="Ttl"/> the
/// extended RCODE, version and flags; they are carried through unchanged and are not a time.
/// </summary>
public sealed record DnsRecord(DnsName Name, DnsType Type, DnsClass Class, uint Ttl, DnsRecordData Data)
{
    /// <summary>An A record.</summary>
    public static DnsRecord A(DnsName name, IPAddress address, uint ttl) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? new(name, DnsType.A, DnsClass.In, ttl, new DnsAddressData(address))
            : throw new ArgumentException($"{address} is not an IPv4 address.", nameof(address));

    /// <summary>An AAAA record.</summary>
    public static DnsRecord Aaaa(DnsName name, IPAddress address, uint ttl) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? new(name, DnsType.Aaaa, DnsClass.In, ttl, new DnsAddressData(address))
            : throw new ArgumentException($"{address} is not an IPv6 address.", nameof(address));

    /// <summary>A PTR record.</summary>
    public static DnsRecord Ptr(DnsName name, DnsName target, uint ttl) => new(name, DnsType.Ptr, DnsClass.In, ttl, new DnsNameData(target));

    /// <summary>Reads RDATA of <paramref name="type"/>: <paramref name="length"/> bytes at <paramref name="offset"/> of <paramref name="message"/>.</summary>
    internal static DnsRecordData ReadData(ReadOnlySpan<byte> message, int offset, int length, DnsType type)
    {
        int end = offset + length;
        ReadOnlySpan<byte> rdata = message.Slice(offset, length);
        switch (type)
        {
            case DnsType.A or DnsType.Aaaa:
                int size = type == DnsType.A ? 4 : 16;
                if (length != size)
                {
                    WireReader.Throw("address", offset, $"RDLENGTH {length}, the address takes {size}");
                }

                return new DnsAddressData(new IPAddress(rdata));
            case DnsType.Ns or DnsType.Cname or DnsType.Ptr:
                DnsName target = DnsName.Read(message, offset, end, "rdata name", out int used);
                ExpectEnd(offset + used, end);
                return new DnsNameData(target);
            case DnsType.Mx:
                if (length < 2)
                {
                    WireReader.Throw("MX preference", offset, $"needs 2 byte(s), {length} left");
                }

                DnsName exchange = DnsName.Read(message, offset + 2, end, "MX exchange", out int mxUsed);
                ExpectEnd(offset + 2 + mxUsed, end);
                return new DnsMxData((ushort)((rdata[0] << 8) | rdata[1]), exchange);
            case DnsType.Soa:
                DnsName mname = DnsName.Read(message, offset, end, "SOA mname", out int m);
                DnsName rname = DnsName.Read(message, offset + m, end, "SOA rname", out int r);
                var fixedPart = new WireReader(message[(offset + m + r)..end], offset + m + r);
                var soa = new DnsSoaData(mname, rname, fixedPart.ReadUInt32("SOA serial"), fixedPart.ReadUInt32("SOA refresh"),
                    fixedPart.ReadUInt32("SOA retry"), fixedPart.ReadUInt32("SOA expire"), fixedPart.ReadUInt32("SOA minimum"));
                fixedPart.ExpectEnd("SOA rdata");
                return soa;
            default:
                return new DnsRawData(new ByteString(rdata.ToArray()));
        }
    }

    private static void ExpectEnd(int at, int end)
    {
        if (at != end)
        {
            WireReader.Throw("rdata", at, $"{end - at} trailing byte(s) after the name");
        }
    }
}
