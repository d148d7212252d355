using System.Net;
using System.Net.Sockets;
using Microsoft.Win32.SafeHandles;
using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Io;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Linux.RawIp;
using IpoeRouter.Linux.Tun;

namespace IpoeRouter.Services.DsLite;

/// <summary>
/// The DS-Lite B4's data path in user space (RFC 6333 §5), for kernels without <c>ip6_tunnel</c>:
/// IPv4 packets the kernel routes into a TUN device go to the AFTR inside IPv6 (next header 4), and
/// IPv4 packets the AFTR sends back are written to the TUN. No NAT here: the AFTR does it.
/// <para>
/// Two dedicated threads, one per direction, block in <c>poll</c> and move several packets per
/// wake-up: upstream reads the non-blocking TUN until it is empty (at most a batch of reads) and
/// sends with one <c>sendmmsg</c> per batch; downstream takes a batch with one <c>recvmmsg</c> and
/// writes each packet to the TUN. With offloads (<see cref="B4PumpOptions.Offloads"/>, the default)
/// the kernel hands over TCP packets of up to 64 KB, which the pump segments to the MTU itself
/// (<see cref="TunBatchReader"/>), and downstream merges consecutive segments of a TCP flow into one
/// such packet per write (<see cref="TcpCoalescer"/>, GRO in user space). Buffers are allocated
/// once, in native memory; the steady state allocates nothing. The TUN's ring and the socket's
/// buffers are lengthened so a thread waiting for a core does not turn bursts into losses. Only
/// sane IPv4 (<see cref="Ipv4HeaderCheck"/>) passes either way, and only packets from the AFTR reach
/// the TUN: the raw socket is connected to it (the kernel filters) and the sender of each packet is
/// compared again.
/// </para>
/// The planning (addresses, routes, MTU 1460, the link up) is the engine's; the pump owns the TUN
/// and the socket. Packets that cannot go are counted by reason in <see cref="Counters"/>; nothing
/// here throws once the pump runs.
/// </summary>
public sealed partial class B4Pump : IDisposable
{
    /// <summary>Packets per batch (per <c>recvmmsg</c>/<c>sendmmsg</c>).</summary>
    internal const int BatchSize = 64;

    /// <summary>Bytes per packet buffer: a 1,500-byte MTU and more (a larger packet is counted too big, not cut and sent).</summary>
    internal const int SlotSize = 2048;

    /// <summary>
    /// Socket buffer asked for each way: TCP bursts at a gigabit overflow the default (about 200 KB,
    /// some 90 packets) before the downstream thread gets a core, and every loss costs a retransmit.
    /// </summary>
    internal const int SocketBufferBytes = 4 << 20;

    private static readonly TimeSpan s_joinTimeout = TimeSpan.FromSeconds(5);

    private readonly TunDevice _tun;
    private readonly TunBatchReader _reader;
    private readonly UpstreamSink _upSink;
    private readonly TcpCoalescer? _coalescer;
    private readonly SafeFileHandle _namespace;
    private readonly string _namespaceId;
    private readonly WakeEvent _stop = new();
    private readonly WakeEvent _rebind = new();
    private readonly PacketBatch _upBatch = new(BatchSize, SlotSize);
    private readonly PacketBatch _downBatch;
    private readonly B4CounterSet _counters = new();
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly Lock _pathLock = new();
    private readonly Thread _upstream;
    private readonly Thread _downstream;
    private IpipSocket? _path;
    private volatile bool _stopping;
    private int _disposed;

    private B4Pump(TunDevice tun, SafeFileHandle ns, string namespaceId)
    {
        _tun = tun;
        _reader = new TunBatchReader(tun);
        _upSink = new UpstreamSink(this);
        _coalescer = tun.HasVnetHeader ? new TcpCoalescer() : null;
        _downBatch = new PacketBatch(BatchSize, SlotSize, headroom: tun.HasVnetHeader ? VirtioNetHeader.Size : 0); // a zero virtio header before each packet
        _namespace = ns;
        _namespaceId = namespaceId;
        _upstream = new Thread(RunUpstream) { IsBackground = true, Name = $"b4-up {tun.Name}" };
        _downstream = new Thread(RunDownstream) { IsBackground = true, Name = $"b4-down {tun.Name}" };
    }

    /// <summary>The TUN link's name.</summary>
    public string Name => _tun.Name;

    /// <summary>The TUN link's ifindex.</summary>
    public int InterfaceIndex => _tun.InterfaceIndex;

    /// <summary>The local IPv6 address the tunnel is bound to, or null (no path, or the kernel's choice).</summary>
    public IPAddress? Local => Volatile.Read(ref _path)?.Local;

    /// <summary>The AFTR's IPv6 address, or null when there is no path.</summary>
    public IPAddress? Remote => Volatile.Read(ref _path)?.Remote;

    /// <summary>What the pump carried and dropped so far, by reason.</summary>
    public B4Counters Counters => _counters.Snapshot(_reader.Reads);

    /// <summary>
    /// Creates the TUN link <paramref name="tunName"/> in the calling thread's network namespace —
    /// down, without addresses, IPv6 disabled on it (so the kernel does not write router
    /// solicitations and MLD reports into an IPv4-only tunnel) — and starts the two threads. There is
    /// no path until <see cref="SetEndpoints"/>: packets routed into the TUN are dropped and counted.
    /// The link lives as long as the pump: <see cref="Dispose"/>, or the process ending, removes it.
    /// Throws <see cref="Linux.Interop.SystemCallException"/> naming the call (<c>EBUSY</c>: a TUN of
    /// that name is held by someone else).
    /// </summary>
    public static B4Pump Open(string tunName) => Open(tunName, B4PumpOptions.Default);

    /// <summary><see cref="Open(string)"/> with <paramref name="options"/> other than the defaults (to measure them).</summary>
    public static B4Pump Open(string tunName, B4PumpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        TunDevice tun = TunDevice.Open(tunName, vnetHeader: options.Offloads);
        SafeFileHandle? ns = null;
        try
        {
            if (options.Offloads)
            {
                tun.SetOffload(TunConstants.OffloadChecksum | TunConstants.OffloadTso4);
            }

            tun.SetTransmitQueueLength(options.TransmitQueueLength);
            DisableIpv6(tun.Name);
            ns = File.OpenHandle("/proc/thread-self/ns/net");
            var pump = new B4Pump(tun, ns, CallerNamespaceId());
            pump._upstream.Start();
            pump._downstream.Start();
            return pump;
        }
        catch
        {
            ns?.Dispose();
            tun.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sets where the tunnel goes: the raw socket is opened bound to <paramref name="local"/> (a
    /// WAN address; null lets the kernel choose by route) and connected to <paramref name="remote"/>
    /// (the AFTR), in the pump's namespace whatever thread calls. A new local address — the WAN was
    /// renumbered — rebinds without touching the TUN; the same pair again changes nothing. A null
    /// <paramref name="remote"/> leaves no path: packets from the TUN are dropped and counted until
    /// endpoints are set again. If the new socket cannot be opened (the address is not on a link, or
    /// still tentative: <c>EADDRNOTAVAIL</c>) this throws and the previous path stays.
    /// </summary>
    public void SetEndpoints(IPAddress? local, IPAddress? remote)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        RequireIpv6(local, nameof(local));
        RequireIpv6(remote, nameof(remote));
        IpipSocket? current = Volatile.Read(ref _path);
        if (remote is null ? current is null : current is not null && Equals(current.Remote, remote) && Equals(current.Local, local))
        {
            return;
        }

        IpipSocket? next = remote is null ? null : OpenSocket(local, remote);
        IpipSocket? old;
        lock (_pathLock)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                next?.Dispose(); // Dispose ran meanwhile: nothing may be left open after it
                throw new ObjectDisposedException(nameof(B4Pump));
            }

            old = _path;
            Volatile.Write(ref _path, next);
            _rebind.Set(); // the downstream thread leaves the old socket and takes the new one (under the lock: Dispose cannot have closed the eventfd)
        }

        old?.Dispose(); // closed once neither thread holds it any more
    }

    /// <summary>Stops both threads (they wake at once), closes the socket and the TUN; the link disappears.</summary>
    public void Dispose()
    {
        lock (_pathLock)
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }
        }

        _stopping = true;
        _stop.Set();
        bool ended = _upstream.Join(s_joinTimeout) & _downstream.Join(s_joinTimeout);
        lock (_pathLock)
        {
            _path?.Dispose();
            _path = null;
        }

        _tun.Dispose();
        _namespace.Dispose();
        if (ended)
        {
            _reader.Dispose();
            // Buffers a thread might still use are left to the process rather than freed under it.
            _upBatch.Dispose();
            _downBatch.Dispose();
            _stop.Dispose();
            _rebind.Dispose();
        }
    }

    /// <summary>The current socket with a reference held (release with <see cref="Release"/>), or null when there is no path.</summary>
    private IpipSocket? Acquire()
    {
        lock (_pathLock)
        {
            IpipSocket? path = _path;
            if (path is null)
            {
                return null;
            }

            bool added = false;
            path.Handle.DangerousAddRef(ref added);
            return added ? path : null;
        }
    }

    private static void Release(IpipSocket path) => path.Handle.DangerousRelease();

    private IpipSocket OpenSocket(IPAddress? local, IPAddress remote)
    {
        IpipSocket socket = CallerNamespaceId() == _namespaceId
            ? IpipSocket.Open(local, remote)
            : NetworkNamespace.AtPath($"/proc/self/fd/{_namespace.DangerousGetHandle()}").Run(() => IpipSocket.Open(local, remote));
        _ = socket.EnlargeBuffers(SocketBufferBytes);
        return socket;
    }

    private static string CallerNamespaceId() => new FileInfo("/proc/thread-self/ns/net").LinkTarget ?? "?";

    private static void DisableIpv6(string name)
    {
        string key = $"/proc/sys/net/ipv6/conf/{name}/disable_ipv6";
        if (File.Exists(key))
        {
            File.WriteAllText(key, "1\n");
        }
    }

    private static void RequireIpv6(IPAddress? address, string name)
    {
        if (address is not null && address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            throw new ArgumentException($"{address} is not an IPv6 address: DS-Lite's tunnel endpoints are IPv6.", name);
        }
    }
}
