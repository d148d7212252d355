using System.Net;
using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Io;
using IpoeRouter.Linux.RawIp;
using IpoeRouter.Linux.Tun;
using IpoeRouter.Services.DsLite;

namespace IpoeRouter.LabAftr;

/// <summary>
/// The lab's AFTR (RFC 6333 §6) without its NAT: an unconnected raw IPIP socket bound to the AFTR's
/// IPv6 address hears every B4, and the IPv4 packets it decapsulates are written to a TUN (the
/// kernel then routes them, and the lab's nftables masquerade in this namespace is the NAT44).
/// IPv4 the kernel routes back into the TUN is encapsulated to the B4.
/// <para>
/// One B4 at a time: the B4 is the IPv6 source of the latest packet received, learned as packets
/// come. When it changes (the B4's WAN address was renumbered) a line
/// <c>learned B4 ADDRESS</c> goes to the log — the renumbering test waits for it. Until a B4 has
/// been heard, packets from the TUN are dropped and counted.
/// </para>
/// Built like the B4 pump (one thread per direction, batches, native buffers, nothing allocated per
/// packet, the same TUN reader with TSO offloads, the same coalescing of TCP segments into one TUN
/// write and the same ring length by default) so that it is not the bottleneck of a throughput
/// measurement.
/// </summary>
public sealed class AftrRelay : IDisposable, ITunBatchSink
{
    private const int BatchSize = 64;
    private const int SlotSize = 2048;
    private readonly TunDevice _tun;
    private readonly IpipSocket _socket;
    private readonly Action<string> _log;
    private readonly WakeEvent _stop = new();
    private readonly PacketBatch _decapBatch;
    private readonly PacketBatch _encapBatch = new(BatchSize, SlotSize);
    private readonly TunBatchReader _reader;
    private readonly TcpCoalescer? _coalescer;
    private readonly Thread _decap;
    private readonly Thread _encap;
    private volatile byte[]? _b4;
    private volatile bool _stopping;
    private long _decapsulated, _decapsulatedBytes, _encapsulated, _encapsulatedBytes, _noB4, _notIpv4, _sendErrors, _tunErrors;

    /// <summary>
    /// Opens the TUN <paramref name="tunName"/> (with <paramref name="options"/>' offloads and ring
    /// length, as the B4 pump would) and the socket on <paramref name="address"/> in the caller's
    /// namespace, and starts relaying.
    /// </summary>
    public AftrRelay(string tunName, IPAddress address, B4PumpOptions options, Action<string> log)
    {
        _log = log;
        _tun = TunDevice.Open(tunName, vnetHeader: options.Offloads);
        _reader = new TunBatchReader(_tun);
        _coalescer = options.Offloads ? new TcpCoalescer() : null;
        _decapBatch = new PacketBatch(BatchSize, SlotSize, headroom: options.Offloads ? VirtioNetHeader.Size : 0);
        try
        {
            if (options.Offloads)
            {
                _tun.SetOffload(TunConstants.OffloadChecksum | TunConstants.OffloadTso4);
            }

            _tun.SetTransmitQueueLength(options.TransmitQueueLength);
            _socket = IpipSocket.Open(address, remote: null);
            _ = _socket.EnlargeBuffers(4 << 20);
        }
        catch
        {
            _tun.Dispose();
            throw;
        }

        _decap = new Thread(Decapsulate) { IsBackground = true, Name = "aftr-decap" };
        _encap = new Thread(Encapsulate) { IsBackground = true, Name = "aftr-encap" };
        _decap.Start();
        _encap.Start();
    }

    /// <summary>The TUN's name.</summary>
    public string TunName => _tun.Name;

    /// <summary>The B4 learned last, or null.</summary>
    public IPAddress? B4 => _b4 is { } b ? new IPAddress(b) : null;

    /// <summary>A one-line account of what was relayed and dropped.</summary>
    public string Describe() =>
        $"decapsulated {Volatile.Read(ref _decapsulated)} packets {Volatile.Read(ref _decapsulatedBytes)} bytes; " +
        $"encapsulated {Volatile.Read(ref _encapsulated)} packets {Volatile.Read(ref _encapsulatedBytes)} bytes; " +
        $"dropped: no B4 {Volatile.Read(ref _noB4)}, not IPv4 {Volatile.Read(ref _notIpv4)}, send errors {Volatile.Read(ref _sendErrors)}, TUN errors {Volatile.Read(ref _tunErrors)}";

    private void Decapsulate()
    {
        PacketBatch batch = _decapBatch;
        while (!_stopping)
        {
            if ((Readiness.Wait(_socket.Handle.Fd, _stop.Handle.Fd) & Readiness.Second) != 0)
            {
                return;
            }

            int count;
            do
            {
                count = _socket.Receive(batch, out _);
                for (int i = 0; i < count; i++)
                {
                    Learn(batch.Address(i));
                    if (batch.IsTruncated(i) || Ipv4HeaderCheck.Check(batch.Packet(i), out int total) != Ipv4Verdict.Valid)
                    {
                        _notIpv4++;
                        continue;
                    }

                    ReadOnlySpan<byte> packet = batch.Packet(i)[..total];
                    if (_coalescer is null)
                    {
                        WriteToTun(packet, 1, total);
                    }
                    else if (TcpCoalescer.IsCandidate(packet))
                    {
                        if (_coalescer.Segments == 0 || !_coalescer.TryAppend(packet))
                        {
                            FlushCoalesced();
                            _coalescer.Start(packet);
                        }
                    }
                    else
                    {
                        FlushCoalesced();
                        WriteToTun(batch.Framed(i)[..(VirtioNetHeader.Size + total)], 1, total);
                    }
                }

                FlushCoalesced();
            }
            while (count == batch.Capacity && !_stopping);
        }
    }

    private void FlushCoalesced()
    {
        if (_coalescer is { Segments: > 0 })
        {
            WriteToTun(_coalescer.Finish(out int segments, out int bytes), segments, bytes);
        }
    }

    private void WriteToTun(ReadOnlySpan<byte> data, int packets, int bytes)
    {
        if (_tun.Write(data) != 0)
        {
            _tunErrors += packets;
            return;
        }

        _decapsulated += packets;
        _decapsulatedBytes += bytes;
    }

    private void Learn(ReadOnlySpan<byte> source)
    {
        byte[]? current = _b4;
        if (current is not null && source.SequenceEqual(current))
        {
            return;
        }

        byte[] learned = source.ToArray();
        _b4 = learned;
        _log($"learned B4 {new IPAddress(learned)}" + (current is null ? string.Empty : $" (was {new IPAddress(current)})"));
    }

    private void Encapsulate()
    {
        PacketBatch batch = _encapBatch;
        while (!_stopping)
        {
            if ((Readiness.Wait(_tun.Handle.Fd, _stop.Handle.Fd) & Readiness.Second) != 0)
            {
                return;
            }

            while (_reader.Drain(batch, this) && !_stopping)
            {
            }
        }
    }

    /// <summary>Sends a batch the TUN reader filled to the learned B4.</summary>
    void ITunBatchSink.Send(PacketBatch batch, int count)
    {
        byte[]? b4 = _b4;
        if (b4 is null)
        {
            _noB4 += count;
            return;
        }

        for (int i = 0; i < count; i++)
        {
            batch.SetAddress(i, b4);
        }

        int start = 0;
        while (start < count)
        {
            int sent = _socket.Send(batch, start, count - start, toAddresses: true, out _);
            for (int i = start; i < start + sent; i++)
            {
                _encapsulatedBytes += batch.Length(i);
            }

            _encapsulated += sent;
            start += sent;
            if (start < count)
            {
                _sendErrors++;
                start++;
            }
        }
    }

    /// <summary>Counts a packet the TUN reader dropped.</summary>
    void ITunBatchSink.Drop(TunReadDrop reason) => _notIpv4++;

    /// <summary>Stops the threads and closes the socket and the TUN.</summary>
    public void Dispose()
    {
        _stopping = true;
        _stop.Set();
        bool ended = _decap.Join(TimeSpan.FromSeconds(5)) & _encap.Join(TimeSpan.FromSeconds(5));
        _socket.Dispose();
        _tun.Dispose();
        if (ended)
        {
            _reader.Dispose();
            _decapBatch.Dispose();
            _encapBatch.Dispose();
            _stop.Dispose();
        }
    }
}
