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

                // Drain the TUN a batch of reads at a time; a spent budget means more may be queued: read on without polling.
                while (_reader.Drain(batch, _upSink) && !_stopping)
                {
                }
            }
        }
        catch (Exception e) when (e is SystemCallException or ObjectDisposedException)
        {
            _counters.RecordFailure($"The upstream thread of {Name} stopped: {e.Message}", _time);
        }
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

    /// <summary>Where the TUN reader hands the upstream thread its batches and drops.</summary>
    private sealed class UpstreamSink(B4Pump pump) : ITunBatchSink
    {
        public void Send(PacketBatch batch, int count) => pump.SendBatch(batch, count);

        public void Drop(TunReadDrop reason)
        {
            if (reason == TunReadDrop.TooBig)
            {
                pump._counters.Up.TooBig++;
            }
            else
            {
                pump._counters.Up.NotIpv4++;
            }
        }
    }
}
