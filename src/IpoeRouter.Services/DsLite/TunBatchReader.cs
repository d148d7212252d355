using IpoeRouter.Linux.RawIp;
using IpoeRouter.Linux.Tun;

namespace IpoeRouter.Services.DsLite;

/// <summary>Why a <see cref="TunBatchReader"/> dropped a packet.</summary>
public enum TunReadDrop
{
    /// <summary>Not sane IPv4 (<see cref="Ipv4HeaderCheck"/>), or an offload it cannot finish.</summary>
    NotIpv4,

    /// <summary>Larger than a batch slot (or than a segment fits in one).</summary>
    TooBig,
}

/// <summary>Where a <see cref="TunBatchReader"/> sends what it read.</summary>
public interface ITunBatchSink
{
    /// <summary>The first <paramref name="count"/> slots of <paramref name="batch"/> hold IPv4 packets ready to send; they may be overwritten once this returns.</summary>
    void Send(PacketBatch batch, int count);

    /// <summary>One packet was dropped, for <paramref name="reason"/>.</summary>
    void Drop(TunReadDrop reason);
}

/// <summary>
/// Turns what a TUN has queued into batches of plain IPv4 packets, one <c>read</c> per packet the
/// kernel hands over. A plain TUN is read straight into the batch's slots. A TUN with offloads
/// (<see cref="TunDevice.HasVnetHeader"/>, <c>TUN_F_CSUM | TUN_F_TSO4</c>) hands over TCP packets up to
/// 64 KB, which are cut into MTU-sized segments here (<see cref="TcpSegmenter"/>) — one read then
/// yields tens of packets — and packets whose checksum the kernel left to finish, which is finished.
/// Used by the B4 pump and the lab AFTR; allocation-free after construction; one thread at a time.
/// </summary>
public sealed class TunBatchReader : IDisposable
{
    private const int LargestOffloadedPacket = 65535 + VirtioNetHeader.Size;
    private readonly TunDevice _tun;
    private readonly PacketBatch? _large;
    private long _reads;

    /// <summary>Reads that returned a packet so far: with offloads far fewer than the packets they carried. Written by the reading thread only.</summary>
    public long Reads => Volatile.Read(ref _reads);

    /// <summary>Reads from <paramref name="tun"/> (offloaded when it has a virtio header).</summary>
    public TunBatchReader(TunDevice tun)
    {
        ArgumentNullException.ThrowIfNull(tun);
        _tun = tun;
        _large = tun.HasVnetHeader ? new PacketBatch(1, LargestOffloadedPacket) : null;
    }

    /// <summary>
    /// Reads until the TUN is empty or <paramref name="batch"/>'s capacity in reads is spent, giving
    /// the packets to <paramref name="sink"/> a batch at a time (whenever the batch is full, and at the
    /// end). True when it stopped at the read budget: more may be queued.
    /// </summary>
    public bool Drain(PacketBatch batch, ITunBatchSink sink)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(sink);
        int count = 0;
        int reads = 0;
        while (reads < batch.Capacity)
        {
            if (count == batch.Capacity)
            {
                sink.Send(batch, count);
                count = 0;
            }

            int n = _large is null ? ReadPlain(batch, ref count, sink) : ReadOffloaded(batch, ref count, sink);
            if (n == 0)
            {
                break;
            }

            reads++;
            _reads++;
        }

        if (count > 0)
        {
            sink.Send(batch, count);
        }

        return reads == batch.Capacity;
    }

    /// <summary>Reads one packet into the next slot; returns the bytes read (0: the TUN is empty).</summary>
    private int ReadPlain(PacketBatch batch, ref int count, ITunBatchSink sink)
    {
        int n = _tun.Read(batch.Slot(count));
        if (n == 0)
        {
            return 0;
        }

        if (n == batch.SlotSize)
        {
            sink.Drop(TunReadDrop.TooBig); // filled the slot: it may have been cut
        }
        else if (Ipv4HeaderCheck.Check(batch.Slot(count)[..n], out int total) != Ipv4Verdict.Valid)
        {
            sink.Drop(TunReadDrop.NotIpv4);
        }
        else
        {
            batch.SetLength(count++, total);
        }

        return n;
    }

    /// <summary>Reads one offloaded packet and adds it (or its segments) to the batch, sending full batches on the way.</summary>
    private int ReadOffloaded(PacketBatch batch, ref int count, ITunBatchSink sink)
    {
        Span<byte> buffer = _large!.Slot(0);
        int n = _tun.Read(buffer);
        if (n == 0)
        {
            return 0;
        }

        if (n < VirtioNetHeader.Size)
        {
            sink.Drop(TunReadDrop.NotIpv4);
            return n;
        }

        VirtioNetHeader header = VirtioNetHeader.Read(buffer);
        Span<byte> packet = buffer[VirtioNetHeader.Size..n];
        if (header.Kind == VirtioNetHeader.GsoTcpV4)
        {
            int segments = TcpSegmenter.Count(packet, header.GsoSize);
            if (segments == 0)
            {
                sink.Drop(TunReadDrop.NotIpv4);
            }
            else if (header.GsoSize + 120 > batch.SlotSize)
            {
                sink.Drop(TunReadDrop.TooBig); // segments would not fit a slot (headers are at most 60 + 60 bytes)
            }
            else
            {
                for (int k = 0; k < segments; k++)
                {
                    if (count == batch.Capacity)
                    {
                        sink.Send(batch, count);
                        count = 0;
                    }

                    batch.SetLength(count, TcpSegmenter.WriteSegment(packet, header.GsoSize, k, batch.Slot(count)));
                    count++;
                }
            }

            return n;
        }

        if (header.Kind != VirtioNetHeader.GsoNone
            || (header.NeedsChecksum && !TcpSegmenter.CompleteChecksum(packet, header.ChecksumStart, header.ChecksumOffset))
            || Ipv4HeaderCheck.Check(packet, out int total) != Ipv4Verdict.Valid)
        {
            sink.Drop(TunReadDrop.NotIpv4);
            return n;
        }

        if (total > batch.SlotSize)
        {
            sink.Drop(TunReadDrop.TooBig);
            return n;
        }

        if (count == batch.Capacity)
        {
            sink.Send(batch, count);
            count = 0;
        }

        packet[..total].CopyTo(batch.Slot(count));
        batch.SetLength(count++, total);
        return n;
    }

    /// <inheritdoc/>
    public void Dispose() => _large?.Dispose();
}
