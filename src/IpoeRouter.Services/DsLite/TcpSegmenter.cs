using System.Buffers.Binary;

namespace IpoeRouter.Services.DsLite;

/// <summary>
/// What the kernel leaves to a TUN reader that took offloads (<c>TUN_F_CSUM | TUN_F_TSO4</c>), done in
/// user space: cutting an IPv4 TCP packet larger than the MTU into segments of the size the kernel
/// names (its <c>gso_size</c>), as <c>tcp_gso_segment</c> would — the IPv4 identification counting
/// up, the sequence number advancing, FIN and PSH only on the last segment, CWR only on the first,
/// both checksums computed — and finishing a checksum the kernel left partial. Pure functions of
/// their input, so the pump's allocation-free loop and the tests call the same code.
/// </summary>
internal static class TcpSegmenter
{
    private const byte ProtocolTcp = 6;
    private const byte Fin = 0x01, Psh = 0x08, Cwr = 0x80;

    /// <summary>
    /// How many segments <paramref name="packet"/> (IPv4 + TCP + payload) makes with at most
    /// <paramref name="segmentSize"/> payload bytes each; 0 when it is not an IPv4 TCP packet whose
    /// headers fit, so it cannot be segmented.
    /// </summary>
    public static int Count(ReadOnlySpan<byte> packet, int segmentSize)
    {
        if (segmentSize <= 0 || !Headers(packet, out int headers))
        {
            return 0;
        }

        int payload = packet.Length - headers;
        return payload <= 0 ? 1 : (payload + segmentSize - 1) / segmentSize;
    }

    /// <summary>
    /// Writes segment <paramref name="index"/> (0 ≤ index &lt; <see cref="Count"/>) of
    /// <paramref name="packet"/> into <paramref name="destination"/> as a complete IPv4 packet and
    /// returns its length. The packet's own IPv4 total length is ignored (for a packet to segment the
    /// kernel may leave it at 0): its length is <paramref name="packet"/>'s.
    /// </summary>
    public static int WriteSegment(ReadOnlySpan<byte> packet, int segmentSize, int index, Span<byte> destination)
    {
        if (!Headers(packet, out int headers))
        {
            throw new ArgumentException("Not an IPv4 TCP packet.", nameof(packet));
        }

        int ipHeader = (packet[0] & 0x0F) * 4;
        int payload = packet.Length - headers;
        int offset = index * segmentSize;
        int length = Math.Min(segmentSize, Math.Max(payload - offset, 0));
        bool last = offset + length >= payload;
        int total = headers + length;

        packet[..headers].CopyTo(destination);
        packet.Slice(headers + offset, length).CopyTo(destination[headers..]);
        Span<byte> ip = destination[..ipHeader];
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)total);
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)(BinaryPrimitives.ReadUInt16BigEndian(packet[4..]) + index));
        InternetChecksum.SetIpv4HeaderChecksum(ip);

        Span<byte> tcp = destination[ipHeader..total];
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], BinaryPrimitives.ReadUInt32BigEndian(packet[(ipHeader + 4)..]) + (uint)offset);
        byte flags = tcp[13];
        if (!last)
        {
            flags &= unchecked((byte)~(Fin | Psh));
        }

        if (index > 0)
        {
            flags &= unchecked((byte)~Cwr);
        }

        tcp[13] = flags;
        tcp[16] = 0;
        tcp[17] = 0;
        ulong sum = InternetChecksum.Add(InternetChecksum.PseudoHeader(ip, ProtocolTcp, tcp.Length), tcp);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[16..], InternetChecksum.Finish(sum));
        return total;
    }

    /// <summary>
    /// Finishes a checksum the kernel left partial (<c>VIRTIO_NET_HDR_F_NEEDS_CSUM</c>): the field at
    /// <paramref name="start"/> + <paramref name="offset"/> holds the pseudo-header sum; the sum of
    /// every byte from <paramref name="start"/> on (that field included) completes it. A UDP checksum
    /// that comes out 0 is sent as 0xFFFF (RFC 768). False when the positions do not fit the packet.
    /// </summary>
    public static bool CompleteChecksum(Span<byte> packet, int start, int offset)
    {
        if (start < 0 || offset < 0 || start + offset + 2 > packet.Length)
        {
            return false;
        }

        ushort value = InternetChecksum.Finish(InternetChecksum.Add(0, packet[start..]));
        bool udp = offset == 6 && packet.Length >= 20 && packet[9] == 17;
        BinaryPrimitives.WriteUInt16BigEndian(packet[(start + offset)..], udp && value == 0 ? (ushort)0xFFFF : value);
        return true;
    }

    /// <summary>Whether <paramref name="packet"/> starts with an IPv4 header for TCP and a TCP header that both fit; their length.</summary>
    private static bool Headers(ReadOnlySpan<byte> packet, out int headers)
    {
        headers = 0;
        if (packet.Length < 40 || packet[0] >> 4 != 4 || packet[9] != ProtocolTcp)
        {
            return false;
        }

        int ipHeader = (packet[0] & 0x0F) * 4;
        if (ipHeader < 20 || packet.Length < ipHeader + 20)
        {
            return false;
        }

        int tcpHeader = (packet[ipHeader + 12] >> 4) * 4;
        if (tcpHeader < 20 || packet.Length < ipHeader + tcpHeader)
        {
            return false;
        }

        headers = ipHeader + tcpHeader;
        return true;
    }
}
