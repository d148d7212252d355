using System.Buffers.Binary;
using IpoeRouter.Linux.Tun;
using IpoeRouter.Services.DsLite;
using Xunit;

namespace IpoeRouter.Services.Tests.DsLite;

public sealed class TcpCoalescerTests
{
    private const int Mss = 1000;

    /// <summary>Consecutive segments of one flow with valid checksums, IDs counting up, 1000-byte payloads except a shorter last.</summary>
    private static List<byte[]> Flow(int count, int lastPayload = Mss, ushort firstId = 0x2000, uint firstSeq = 0xFFFFFC00, byte lastFlags = 0x10 | 0x08)
    {
        var segments = new List<byte[]>();
        for (int k = 0; k < count; k++)
        {
            int size = k == count - 1 ? lastPayload : Mss;
            byte[] payload = Enumerable.Range(0, size).Select(i => (byte)(i + (k * 31))).ToArray();
            byte[] s = TcpSegmenterTests.TcpPacket((ushort)(firstId + k), unchecked(firstSeq + (uint)(k * Mss)), k == count - 1 ? lastFlags : (byte)0x10, payload);
            WithChecksums(s);
            segments.Add(s);
        }

        return segments;
    }

    private static void WithChecksums(byte[] s)
    {
        InternetChecksum.SetIpv4HeaderChecksum(s);
        s[36] = 0;
        s[37] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(s.AsSpan(36), InternetChecksum.Finish(InternetChecksum.Add(InternetChecksum.PseudoHeader(s, 6, s.Length - 20), s.AsSpan(20))));
    }

    [Fact]
    public void Merged_AndCutAgainAsTheKernelWould_GivesBackEverySegmentByteForByte()
    {
        List<byte[]> flow = Flow(5, lastPayload: 300);
        var coalescer = new TcpCoalescer();
        Assert.True(TcpCoalescer.IsCandidate(flow[0]));
        coalescer.Start(flow[0]);
        foreach (byte[] s in flow.Skip(1))
        {
            Assert.True(coalescer.TryAppend(s));
        }

        byte[] framed = coalescer.Finish(out int segments, out int bytes).ToArray();
        Assert.Equal((5, flow.Sum(f => f.Length)), (segments, bytes));
        Assert.Equal(0, coalescer.Segments);
        var header = VirtioNetHeader.Read(framed);
        Assert.Equal(new VirtioNetHeader(VirtioNetHeader.FlagNeedsChecksum, VirtioNetHeader.GsoTcpV4, 40, Mss, 20, 16), header);
        byte[] merged = framed[VirtioNetHeader.Size..];
        Assert.Equal(40 + (4 * Mss) + 300, merged.Length);
        Assert.Equal(merged.Length, BinaryPrimitives.ReadUInt16BigEndian(merged.AsSpan(2)));
        Assert.Equal(0xFFFF, InternetChecksum.Fold(InternetChecksum.Add(0, merged.AsSpan(0, 20))));
        Assert.Equal(InternetChecksum.Fold(InternetChecksum.PseudoHeader(merged, 6, merged.Length - 20)), BinaryPrimitives.ReadUInt16BigEndian(merged.AsSpan(36)));

        Assert.Equal(5, TcpSegmenter.Count(merged, header.GsoSize));
        for (int k = 0; k < 5; k++)
        {
            byte[] buffer = new byte[2048];
            Assert.Equal(Convert.ToHexString(flow[k]), Convert.ToHexString(buffer[..TcpSegmenter.WriteSegment(merged, header.GsoSize, k, buffer)]));
        }
    }

    [Fact]
    public void ASingleSegment_GoesUnchanged_WithAnEmptyVirtioHeader()
    {
        byte[] only = Flow(1)[0];
        var coalescer = new TcpCoalescer();
        coalescer.Start(only);

        byte[] framed = coalescer.Finish(out int segments, out int bytes).ToArray();

        Assert.Equal((1, only.Length), (segments, bytes));
        Assert.Equal(new byte[VirtioNetHeader.Size], framed[..VirtioNetHeader.Size]);
        Assert.Equal(only, framed[VirtioNetHeader.Size..]);
    }

    [Fact]
    public void TryAppend_RefusesWhatTheKernelsGroWouldNotMerge()
    {
        List<byte[]> flow = Flow(3);
        byte[] Changed(Action<byte[]> change)
        {
            byte[] s = (byte[])flow[1].Clone();
            change(s);
            WithChecksums(s);
            return s;
        }

        var refused = new Dictionary<string, byte[]>
        {
            ["out of sequence"] = Changed(s => BinaryPrimitives.WriteUInt32BigEndian(s.AsSpan(24), BinaryPrimitives.ReadUInt32BigEndian(s.AsSpan(24)) + 1)),
            ["another port"] = Changed(s => s[23]++),
            ["another source"] = Changed(s => s[15]++),
            ["another ack"] = Changed(s => s[31]++),
            ["another window"] = Changed(s => s[35]++),
            ["another TTL"] = Changed(s => s[8]--),
            ["another TOS"] = Changed(s => s[1] = 0x01),
            ["longer than the first"] = Flow(2, lastPayload: Mss + 1)[1],
        };
        foreach (var (why, segment) in refused)
        {
            var coalescer = new TcpCoalescer();
            coalescer.Start(flow[0]);
            Assert.True(TcpCoalescer.IsCandidate(segment), why);
            Assert.False(coalescer.TryAppend(segment), why);
            Assert.Equal(1, coalescer.Segments);
        }

        // After a short segment or a PSH nothing more joins.
        List<byte[]> shortThenMore = Flow(3, lastPayload: Mss);
        var afterShort = new TcpCoalescer();
        byte[] shortSecond = Flow(2, lastPayload: 500, lastFlags: 0x10)[1];
        afterShort.Start(shortThenMore[0]);
        Assert.True(afterShort.TryAppend(shortSecond));
        Assert.False(afterShort.TryAppend(shortThenMore[2]));
        var afterPush = new TcpCoalescer();
        afterPush.Start(Flow(1)[0]); // its only segment carries PSH
        Assert.False(afterPush.TryAppend(flow[1]));
    }

    [Fact]
    public void IsCandidate_OnlyTcpWithDataAndOnlyAckOrPsh_WithRightChecksums()
    {
        byte[] good = Flow(1)[0];
        Assert.True(TcpCoalescer.IsCandidate(good));
        byte[] badTcpChecksum = (byte[])good.Clone();
        badTcpChecksum[^1] ^= 0xFF;
        Assert.False(TcpCoalescer.IsCandidate(badTcpChecksum));
        byte[] badIpChecksum = (byte[])good.Clone();
        badIpChecksum[10] ^= 0xFF;
        Assert.False(TcpCoalescer.IsCandidate(badIpChecksum));
        byte[] fin = (byte[])good.Clone();
        fin[33] |= 0x01;
        WithChecksums(fin);
        Assert.False(TcpCoalescer.IsCandidate(fin));
        byte[] noData = TcpSegmenterTests.TcpPacket(1, 1, 0x10, []);
        WithChecksums(noData);
        Assert.False(TcpCoalescer.IsCandidate(noData));
        byte[] fragment = (byte[])good.Clone();
        fragment[6] = 0x20; // MF
        WithChecksums(fragment);
        Assert.False(TcpCoalescer.IsCandidate(fragment));
    }
}
