using System.Buffers.Binary;

namespace IpoeRouter.Services.DsLite;

/// <summary>What <see cref="Ipv4HeaderCheck.Check"/> found.</summary>
public enum Ipv4Verdict
{
    /// <summary>A sane IPv4 header: forward the first <c>totalLength</c> bytes.</summary>
    Valid,

    /// <summary>Shorter than the 20 bytes of a minimal IPv4 header.</summary>
    TooShort,

    /// <summary>The version nibble is not 4 (an IPv6 packet, or garbage).</summary>
    NotVersion4,

    /// <summary>The header length (IHL) is below 5 words or runs past the packet.</summary>
    BadHeaderLength,

    /// <summary>The total length is shorter than the header or longer than the packet.</summary>
    BadTotalLength,
}

/// <summary>
/// The sanity check every packet passes in both directions of the B4 (RFC 6333 §5: the softwire
/// carries IPv4 only): version 4, a header length of at least 5 words that fits, and a total length
/// (RFC 791 §3.1) between the header length and what was read. Bytes after the total length
/// (padding) are not forwarded. The header checksum is left to the kernel, which verifies it in
/// <c>ip_rcv</c> when the packet is written to a TUN, at this end or the AFTR's.
/// </summary>
public static class Ipv4HeaderCheck
{
    /// <summary>The length of an IPv4 header without options.</summary>
    public const int MinimumHeaderLength = 20;

    /// <summary>Checks <paramref name="packet"/>; when valid, <paramref name="totalLength"/> is the length to forward, else 0.</summary>
    public static Ipv4Verdict Check(ReadOnlySpan<byte> packet, out int totalLength)
    {
        totalLength = 0;
        if (packet.Length < MinimumHeaderLength)
        {
            return Ipv4Verdict.TooShort;
        }

        if (packet[0] >> 4 != 4)
        {
            return Ipv4Verdict.NotVersion4;
        }

        int headerLength = (packet[0] & 0x0F) * 4;
        if (headerLength < MinimumHeaderLength || headerLength > packet.Length)
        {
            return Ipv4Verdict.BadHeaderLength;
        }

        int total = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        if (total < headerLength || total > packet.Length)
        {
            return Ipv4Verdict.BadTotalLength;
        }

        totalLength = total;
        return Ipv4Verdict.Valid;
    }
}
