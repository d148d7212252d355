using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace IpoeRouter.Services.DsLite;

/// <summary>
/// The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit
/// words. Sums are kept unfolded in a 64-bit accumulator and folded once; the bulk is added as
/// native 32-bit words and swapped to network order at the end (the ones' complement sum commutes
/// with a byte swap, RFC 1071 §2(B)).
/// </summary>
internal static class InternetChecksum
{
    /// <summary>Adds the bytes of <paramref name="data"/> (as big-endian 16-bit words, an odd last byte padded with zero) to <paramref name="sum"/>.</summary>
    public static ulong Add(ulong sum, ReadOnlySpan<byte> data)
    {
        ulong native = 0;
        ReadOnlySpan<uint> words = MemoryMarshal.Cast<byte, uint>(data);
        foreach (uint w in words)
        {
            native += w;
        }

        int i = words.Length * 4;
        if (data.Length - i >= 2)
        {
            native += MemoryMarshal.Read<ushort>(data[i..]);
            i += 2;
        }

        if (i < data.Length)
        {
            native += BitConverter.IsLittleEndian ? data[i] : (ulong)data[i] << 8;
        }

        ushort folded = Fold(native);
        return sum + (BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(folded) : folded);
    }

    /// <summary>The IPv4 pseudo-header (RFC 793 §3.1, RFC 768) of a segment of <paramref name="length"/> bytes of <paramref name="protocol"/>, from the IPv4 header at the start of <paramref name="ipv4"/>.</summary>
    public static ulong PseudoHeader(ReadOnlySpan<byte> ipv4, byte protocol, int length) =>
        BinaryPrimitives.ReadUInt16BigEndian(ipv4[12..]) + (ulong)BinaryPrimitives.ReadUInt16BigEndian(ipv4[14..])
        + BinaryPrimitives.ReadUInt16BigEndian(ipv4[16..]) + (ulong)BinaryPrimitives.ReadUInt16BigEndian(ipv4[18..])
        + protocol + (ulong)length;

    /// <summary>Folds an accumulated sum to 16 bits (end-around carries).</summary>
    public static ushort Fold(ulong sum)
    {
        while (sum >> 16 != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)sum;
    }

    /// <summary>The checksum to store: the complement of the folded sum.</summary>
    public static ushort Finish(ulong sum) => (ushort)~Fold(sum);

    /// <summary>Writes the IPv4 header checksum of the header at the start of <paramref name="ipv4"/> (header length from its IHL).</summary>
    public static void SetIpv4HeaderChecksum(Span<byte> ipv4)
    {
        int headerLength = (ipv4[0] & 0x0F) * 4;
        ipv4[10] = 0;
        ipv4[11] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(ipv4[10..], Finish(Add(0, ipv4[..headerLength])));
    }
}
