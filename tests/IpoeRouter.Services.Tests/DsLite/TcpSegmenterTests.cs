using System.Buffers.Binary;
using IpoeRouter.Services.DsLite;
using Xunit;

namespace IpoeRouter.Services.Tests.DsLite;

public sealed class TcpSegmenterTests
{
    [Fact]
    public void Checksum_Rfc1071Example_AndAnOddLastByte()
    {
        // RFC 1071 §3: 0001 f203 f4f5 f6f7 sums to ddf2 (ones' complement), the checksum is its complement 220d.
        Assert.Equal(0xDDF2, InternetChecksum.Fold(InternetChecksum.Add(0, Convert.FromHexString("0001F203F4F5F6F7"))));
        Assert.Equal(0x220D, InternetChecksum.Finish(InternetChecksum.Add(0, Convert.FromHexString("0001F203F4F5F6F7"))));
        Assert.Equal(0x0203 + 0x0100, InternetChecksum.Fold(InternetChecksum.Add(0, Convert.FromHexString("020301")))); // 0203 + 01 padded to 0100
        Assert.Equal(0xDDF2, InternetChecksum.Fold(InternetChecksum.Add(InternetChecksum.Add(0, Convert.FromHexString("0001F203")), Convert.FromHexString("F4F5F6F7"))));
    }

    [Fact]
    public void Segments_AreWholeTcpPackets_IdAndSequenceCountUp_FinPshOnlyLast_CwrOnlyFirst_ChecksumsValid()
    {
        byte[] payload = Enumerable.Range(0, 2500).Select(i => (byte)(i * 7)).ToArray();
        byte[] large = TcpPacket(id: 0x1000, seq: 0xFFFFFF00, flags: 0x80 | 0x10 | 0x08 | 0x01, payload); // CWR ACK PSH FIN; seq wraps

        Assert.Equal(3, TcpSegmenter.Count(large, 1000));
        var segments = new List<byte[]>();
        for (int k = 0; k < 3; k++)
        {
            byte[] buffer = new byte[2048];
            segments.Add(buffer[..TcpSegmenter.WriteSegment(large, 1000, k, buffer)]);
        }

        Assert.Equal([1040, 1040, 540], segments.Select(s => s.Length));
        for (int k = 0; k < 3; k++)
        {
            byte[] s = segments[k];
            Assert.Equal(s.Length, BinaryPrimitives.ReadUInt16BigEndian(s.AsSpan(2)));
            Assert.Equal(0x1000 + k, BinaryPrimitives.ReadUInt16BigEndian(s.AsSpan(4)));
            Assert.Equal(unchecked(0xFFFFFF00u + (uint)(1000 * k)), BinaryPrimitives.ReadUInt32BigEndian(s.AsSpan(24)));
            Assert.Equal(0xFFFF, InternetChecksum.Fold(InternetChecksum.Add(0, s.AsSpan(0, 20)))); // IPv4 header checksum
            Assert.Equal(0xFFFF, InternetChecksum.Fold(InternetChecksum.Add(InternetChecksum.PseudoHeader(s, 6, s.Length - 20), s.AsSpan(20)))); // TCP
            Assert.Equal(payload.AsSpan(1000 * k, s.Length - 40).ToArray(), s.AsSpan(40).ToArray());
        }

        Assert.Equal([0x80 | 0x10, 0x10, 0x10 | 0x08 | 0x01], segments.Select(s => (int)s[33]));
    }

    [Fact]
    public void Count_IsZeroForWhatCannotBeSegmented()
    {
        byte[] tcp = TcpPacket(1, 1, 0x10, new byte[100]);
        byte[] udp = (byte[])tcp.Clone();
        udp[9] = 17;
        Assert.Equal(0, TcpSegmenter.Count(udp, 50));
        Assert.Equal(0, TcpSegmenter.Count(tcp.AsSpan(0, 39), 50));
        Assert.Equal(0, TcpSegmenter.Count(tcp, 0));
        Assert.Equal(2, TcpSegmenter.Count(tcp, 50));
    }

    [Fact]
    public void CompleteChecksum_FinishesWhatThePseudoHeaderStarted()
    {
        byte[] udp = new byte[20 + 8 + 5];
        udp[0] = 0x45;
        udp[9] = 17;
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(2), (ushort)udp.Length);
        Convert.FromHexString("CB007102C0000002").CopyTo(udp, 12);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(20), 4000);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(22), 9999);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(24), 13);
        "hello"u8.CopyTo(udp.AsSpan(28));
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(26), InternetChecksum.Fold(InternetChecksum.PseudoHeader(udp, 17, 13))); // as the kernel leaves it

        Assert.True(TcpSegmenter.CompleteChecksum(udp, 20, 6));
        Assert.Equal(0xFFFF, InternetChecksum.Fold(InternetChecksum.Add(InternetChecksum.PseudoHeader(udp, 17, 13), udp.AsSpan(20))));
        Assert.False(TcpSegmenter.CompleteChecksum(udp, 20, 20)); // past the end
    }

    /// <summary>An IPv4 TCP packet 203.0.113.2:5001 → 198.51.100.10:40000 with a 20-byte TCP header (checksums not set).</summary>
    internal static byte[] TcpPacket(ushort id, uint seq, byte flags, byte[] payload, uint ack = 77, ushort window = 512)
    {
        byte[] p = new byte[40 + payload.Length];
        p[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), (ushort)Math.Min(p.Length, 65535));
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(4), id);
        p[6] = 0x40; // DF
        p[8] = 63;
        p[9] = 6;
        Convert.FromHexString("CB007102C633640A").CopyTo(p, 12);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(20), 5001);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(22), 40000);
        BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(24), seq);
        BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(28), ack);
        p[32] = 0x50;
        p[33] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(34), window);
        payload.CopyTo(p, 40);
        return p;
    }
}
