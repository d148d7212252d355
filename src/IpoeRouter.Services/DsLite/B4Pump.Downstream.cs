using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Io;
using IpoeRouter.Linux.RawIp;
using IpoeRouter.Linux.Tun;

namespace IpoeRouter.Services.DsLite;

// AFTR → TUN: the downstream thread.
public sealed partial class B4Pump
{
    private const string ReceiveOperation = "recvmmsg(IPIP from the AFTR)";
    private const string TunWriteOperation = "write(TUN)";

    private void RunDownstream()
    {
        try
        {
            while (!_stopping)
            {
                _rebind.Reset();
                IpipSocket? path = Acquire();
                if (path is null)
                {
                    // No path: sleep until there is one (or the pump stops).
                    if ((Readiness.Wait(_rebind.Handle.Fd, _stop.Handle.Fd) & Readiness.Second) != 0)
                    {
                        return;
                    }

                    continue;
                }

                try
                {
                    if (!ReceiveUntilRebind(path))
                    {
                        return;
                    }
                }
                finally
                {
                    Release(path);
                }
            }
        }
        catch (Exception e) when (e is SystemCallException or ObjectDisposedException)
        {
            _counters.RecordFailure($"The downstream thread of {Name} stopped: {e.Message}", _time);
        }
    }

    /// <summary>Moves packets from <paramref name="path"/> to the TUN until the endpoints change (true) or the pump stops (false).</summary>
    private bool ReceiveUntilRebind(IpipSocket path)
    {
        PacketBatch batch = _downBatch;
        while (true)
        {
            int ready = Readiness.Wait(path.Handle.Fd, _stop.Handle.Fd, _rebind.Handle.Fd);
            if ((ready & Readiness.Second) != 0 || _stopping)
            {
                return false;
            }

            if ((ready & Readiness.Third) != 0)
            {
                return true;
            }

            int count;
            do
            {
                count = path.Receive(batch, out int error);
                if (error != 0)
                {
                    _counters.RecordError(ReceiveOperation, error, _time); // an ICMPv6 error the AFTR's side sent back; the socket goes on
                }

                for (int i = 0; i < count; i++)
                {
                    Deliver(batch, i, path.RemoteBytes);
                }

                FlushCoalesced();
            }
            while (count == batch.Capacity && !_stopping);
        }
    }

    /// <summary>Writes packet <paramref name="i"/> to the TUN if <see cref="AftrPacketFilter"/> lets it; else counts why not.</summary>
    private void Deliver(PacketBatch batch, int i, ReadOnlySpan<byte> aftr)
    {
        switch (AftrPacketFilter.Classify(batch.Packet(i), batch.IsTruncated(i), batch.Address(i), aftr, out int total))
        {
            case AftrPacketFate.TooBig:
                _counters.Down.TooBig++;
                return;
            case AftrPacketFate.WrongSource:
                _counters.Down.WrongSource++;
                return;
            case AftrPacketFate.NotIpv4:
                _counters.Down.NotIpv4++;
                return;
        }

        if (_coalescer is null)
        {
            Write(batch.Packet(i)[..total], 1);
            return;
        }

        // With offloads, neighbouring segments of a TCP flow go to the kernel as one packet.
        ReadOnlySpan<byte> packet = batch.Packet(i)[..total];
        if (TcpCoalescer.IsCandidate(packet))
        {
            if (_coalescer.Segments > 0 && _coalescer.TryAppend(packet))
            {
                return;
            }

            FlushCoalesced();
            _coalescer.Start(packet);
            return;
        }

        FlushCoalesced(); // keeps the order of a flow whose segments stop merging
        Write(batch.Framed(i)[..(VirtioNetHeader.Size + total)], 1);
    }

    /// <summary>Writes what the coalescer holds, if anything.</summary>
    private void FlushCoalesced()
    {
        if (_coalescer is { Segments: > 0 })
        {
            Write(_coalescer.Finish(out int segments, out int bytes), segments, bytes);
        }
    }

    /// <summary>Writes one packet (framed with a virtio header when the TUN has one) standing for <paramref name="packets"/> packets as received, of <paramref name="bytes"/> bytes in all (by default its own length).</summary>
    private void Write(ReadOnlySpan<byte> data, int packets, int bytes = -1)
    {
        int error = _tun.Write(data);
        _counters.Down.TunWrites++;
        if (error != 0)
        {
            _counters.Down.TunWriteError += packets;
            _counters.RecordError(TunWriteOperation, error, _time);
            return;
        }

        _counters.Down.Packets += packets;
        _counters.Down.Bytes += bytes >= 0 ? bytes : data.Length - (_tun.HasVnetHeader ? VirtioNetHeader.Size : 0);
    }
}
