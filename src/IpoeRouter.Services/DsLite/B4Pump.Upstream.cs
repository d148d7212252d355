using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Io;
using IpoeRouter.Linux.RawIp;

namespace IpoeRouter.Services.DsLite;

// TUN → AFTR: the upstream thread.
public sealed partial class B4Pump
{
    private const string SendOperation = "sendmmsg(IPIP to the AFTR)";
    private const int Emsgsize = 90;

    private void RunUpstream()
    {
        try
        {
            PacketBatch batch = _upBatch;
            while (!_stopping)
            {
                int ready = Readiness.Wait(_tun.Handle.Fd, _stop.Handle.Fd);
                if ((ready & Readiness.Second) != 0)
                {
                    return;
                }

                // Drain the TUN one batch at a time; a full batch means more may be queued, so read on without polling.
                int count;
                do
                {
                    count = ReadBatch(batch);
                    if (count > 0)
                    {
                        SendBatch(batch, count);
                    }
                }
                while (count == batch.Capacity && !_stopping);
            }
        }
        catch (Exception e) when (e is SystemCallException or ObjectDisposedException)
        {
            _counters.RecordFailure($"The upstream thread of {Name} stopped: {e.Message}", _time);
        }
    }

    /// <summary>Reads packets from the TUN into the batch until it is empty or the batch full; keeps only sane IPv4.</summary>
    private int ReadBatch(PacketBatch batch)
    {
        int count = 0;
        int reads = 0;
        while (count < batch.Capacity && reads < batch.Capacity)
        {
            int n = _tun.Read(batch.Slot(count));
            if (n == 0)
            {
                break;
            }

            reads++;
            if (Ipv4HeaderCheck.Check(batch.Slot(count)[..n], out int total) != Ipv4Verdict.Valid)
            {
                _counters.Up.NotIpv4++;
                continue;
            }

            batch.SetLength(count++, total);
        }

        return count;
    }

    /// <summary>Sends the batch to the AFTR; a packet the kernel refuses is counted and skipped, the rest still go.</summary>
    private void SendBatch(PacketBatch batch, int count)
    {
        IpipSocket? path = Acquire();
        if (path is null)
        {
            _counters.Up.NoPath += count;
            return;
        }

        try
        {
            int start = 0;
            while (start < count)
            {
                int sent = path.Send(batch, start, count - start, toAddresses: false, out int error);
                for (int i = start; i < start + sent; i++)
                {
                    _counters.Up.Bytes += batch.Length(i);
                }

                _counters.Up.Packets += sent;
                start += sent;
                if (start < count)
                {
                    // sendmmsg stopped at this packet: its own error (EMSGSIZE) or one the socket had pending.
                    if (error == Emsgsize)
                    {
                        _counters.Up.TooBig++;
                    }
                    else
                    {
                        _counters.Up.SendError++;
                    }

                    if (error != 0)
                    {
                        _counters.RecordError(SendOperation, error, _time);
                    }

                    start++;
                }
            }
        }
        finally
        {
            Release(path);
        }
    }
}
