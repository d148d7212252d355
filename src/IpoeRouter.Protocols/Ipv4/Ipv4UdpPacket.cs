using System.Buffers.Binary;
using System.Net;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Protocols.Ipv4;

/// <summary>
/// A UDP datagram in an IPv4 packet, as a packet socket of type SOCK_DGRAM hands it over (from the IP
/// header on): the addresses and ports, and where the UDP payload lies in the packet. For a client that
/// must hear its server before it has an address (DHCPv4 with strict reverse-path filtering: RFC 2131
/// §4.1 leaves the link-layer path to the implementation). The IPv4 header checksum (RFC 791) and a
/// non-zero UDP checksum (RFC 768) are verified; a fragment is refused.
/// </summary>
/// <param name="Source">The IPv4 source address.</param>
/// <param name="Destination">The IPv4 destination address.</param>
/// <param name="SourcePort">The UDP source port.</param>
/// <param name="DestinationPort">The UDP destination port.</param>
/// <param name="PayloadOffset">Where the UDP payload starts in the packet.</param>
/// <param name="PayloadLength">The UDP payload's length.</param>
public sealed record Ipv4UdpPacket(IPAddress Source, IPAddress Destination, ushort SourcePort, ushort DestinationPort, int PayloadOffset, int PayloadLength)
{
    /// <summary>The EtherType of IPv4 (ETH_P_IP).</summary>
    public const ushort EtherType = 0x0800;

    private const byte Udp = 17;

    /// <summary>
    /// Reads the IPv4 and UDP headers of <paramref name="packet"/>; trailing bytes after the IPv4 total
    /// length (Ethernet padding) are ignored. <paramref name="verifyUdpChecksum"/> false skips the UDP
    /// checksum, for a packet whose checksum the sender left to offloading (it is not filled in yet).
    /// </summary>
    public static Ipv4UdpPacket Parse(ReadOnlySpan<byte> packet, bool verifyUdpChecksum = true)
    {
        var r = new WireReader(packet);
        byte versionAndLength = r.ReadByte("version/IHL");
        int headerLength = (versionAndLength & 0x0f) * 4;
        if (versionAndLength >> 4 != 4)
        {
            WireReader.Throw("version", 0, $"version {versionAndLength >> 4} is not 4");
        }

        if (headerLength < 20)
        {
            WireReader.Throw("IHL", 0, $"header length {headerLength} is below 20");
        }

        r.ReadByte("type of service");
        ushort totalLength = r.ReadUInt16("total length");
        if (totalLength < headerLength + 8 || totalLength > packet.Length)
        {
            WireReader.Throw("total length", 2, $"{totalLength} does not fit a {headerLength}-byte header, a UDP header and the {packet.Length} bytes received");
        }

        r.ReadUInt16("identification");
        ushort fragment = r.ReadUInt16("flags/fragment offset");
        if ((fragment & 0x3fff) != 0)
        {
            WireReader.Throw("flags/fragment offset", 6, "a fragment (more fragments, or an offset)");
        }

        r.ReadByte("time to live");
        byte protocol = r.ReadByte("protocol");
        if (protocol != Udp)
        {
            WireReader.Throw("protocol", 9, $"protocol {protocol} is not UDP (17)");
        }

        r.ReadUInt16("header checksum");
        var source = new IPAddress(r.ReadBytes(4, "source address"));
        var destination = new IPAddress(r.ReadBytes(4, "destination address"));
        r.ReadBytes(headerLength - 20, "options");
        if (Checksum(packet[..headerLength], 0) != 0)
        {
            WireReader.Throw("header checksum", 10, "wrong");
        }

        int udpAt = headerLength;
        ushort sourcePort = r.ReadUInt16("UDP source port");
        ushort destinationPort = r.ReadUInt16("UDP destination port");
        ushort udpLength = r.ReadUInt16("UDP length");
        ushort udpChecksum = r.ReadUInt16("UDP checksum");
        if (udpLength < 8 || udpAt + udpLength > totalLength)
        {
            WireReader.Throw("UDP length", udpAt + 4, $"{udpLength} does not fit the {totalLength - udpAt} bytes after the IPv4 header");
        }

        if (verifyUdpChecksum && udpChecksum != 0 && UdpChecksum(packet.Slice(udpAt, udpLength), packet.Slice(12, 8)) != 0)
        {
            WireReader.Throw("UDP checksum", udpAt + 6, "wrong");
        }

        return new Ipv4UdpPacket(source, destination, sourcePort, destinationPort, udpAt + 8, udpLength - 8);
    }

    /// <summary>The UDP payload within <paramref name="packet"/> (the bytes <see cref="Parse"/> read).</summary>
    public ReadOnlySpan<byte> Payload(ReadOnlySpan<byte> packet) => packet.Slice(PayloadOffset, PayloadLength);

    /// <summary>The one's-complement sum (RFC 1071) over a pseudo-header (RFC 768: addresses, zero, protocol, length) and the UDP datagram; 0 when it checks.</summary>
    private static ushort UdpChecksum(ReadOnlySpan<byte> udp, ReadOnlySpan<byte> addresses)
    {
        uint sum = Sum(addresses, 0) + Udp + (uint)udp.Length;
        return Checksum(udp, sum);
    }

    private static ushort Checksum(ReadOnlySpan<byte> data, uint start)
    {
        uint sum = Sum(data, start);
        while (sum >> 16 != 0)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)~sum;
    }

    private static uint Sum(ReadOnlySpan<byte> data, uint sum)
    {
        int i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if (i < data.Length)
        {
            sum += (uint)(data[i] << 8);
        }

        return sum;
    }
}
