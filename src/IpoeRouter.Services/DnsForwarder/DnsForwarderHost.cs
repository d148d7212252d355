using System.Net;
using System.Net.Sockets;
using IpoeRouter.Protocols.Dns;
using IpoeRouter.Services.Hosting;

namespace IpoeRouter.Services.DnsForwarder;

/// <summary>
/// The DNS forwarder of the LANs: a UDP socket and a TCP listener on each given LAN address, each
/// bound to that address and tied to its interface (SO_BINDTODEVICE), so nothing listens on the WAN
/// or on any address it was not given. Queries are decided by <see cref="DnsResolverCore"/>; those
/// to forward go to the upstreams set by <see cref="SetUpstreams"/> (none: SERVFAIL at once). TCP
/// follows RFC 7766's basics: several queries per connection, an idle timeout, a connection limit.
/// </summary>
public sealed class DnsForwarderHost : IDisposable
{
    private const int SolIp = 0, IpFreebind = 15, SolIpv6 = 41, Ipv6Freebind = 78; // linux/in.h, linux/in6.h

    private readonly object _lock = new();
    private readonly Dictionary<DnsListenAddress, Listener> _listeners = [];
    private readonly DnsResolverCore _core;
    private readonly DnsForwarderOptions _options;
    private readonly DnsUpstreamClient _upstream;
    private readonly Action<string> _log;
    private readonly SemaphoreSlim _pending, _connections;
    private CancellationToken? _running; // the token of RunAsync while it runs: listeners added later start at once
    private IReadOnlyList<DnsListenAddress> _listening = [];

    private DnsForwarderHost(List<Listener> listeners, DnsResolverCore core, DnsForwarderOptions options, Action<string> log)
    {
        foreach (Listener l in listeners)
        {
            _listeners[l.Where] = l;
        }

        _listening = [.. _listeners.Keys];

        _core = core;
        _options = options;
        _log = log;
        _upstream = new DnsUpstreamClient(options, log);
        _pending = new SemaphoreSlim(options.MaxPendingQueries);
        _connections = new SemaphoreSlim(options.MaxTcpConnections);
    }

    /// <summary>What the forwarder has done so far.</summary>
    public DnsForwarderCounters Counters => _core.Counters;

    /// <summary>The upstreams in use.</summary>
    public IReadOnlyList<IPAddress> Upstreams => _upstream.Upstreams;

    /// <summary>The addresses it answers on now (a snapshot; never waits for a change in progress).</summary>
    public IReadOnlyList<DnsListenAddress> Listening => Volatile.Read(ref _listening);

    /// <summary>
    /// Opens the UDP and TCP sockets on every address of <paramref name="listen"/>, in the calling
    /// thread's network namespace. A port held by another program (dnsmasq, systemd-resolved) is a
    /// <see cref="PortInUseException"/> naming it; then nothing stays open.
    /// </summary>
    public static DnsForwarderHost Open(IReadOnlyList<DnsListenAddress> listen, DnsResolverCore core, DnsForwarderOptions options, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(core);
        ArgumentNullException.ThrowIfNull(options);
        return new DnsForwarderHost(OpenAll(listen.Distinct(), options), core, options, log ?? (_ => { }));
    }

    /// <summary>
    /// Answers on <paramref name="listen"/> from now on (the LAN's IPv6 address follows the delegated
    /// prefix): sockets for new addresses are opened first — in the calling thread's network namespace —
    /// then those of addresses no longer listed are closed; the addresses kept go on answering without a
    /// gap. A port held by another program is a <see cref="PortInUseException"/> and changes nothing.
    /// </summary>
    public void SetListenAddresses(IReadOnlyList<DnsListenAddress> listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        lock (_lock)
        {
            var wanted = listen.Distinct().ToList();
            List<Listener> added = OpenAll(wanted.Where(w => !_listeners.ContainsKey(w)), _options);
            foreach (DnsListenAddress gone in _listeners.Keys.Where(k => !wanted.Contains(k)).ToList())
            {
                _listeners.Remove(gone, out Listener? l);
                l!.Close();
            }

            foreach (Listener l in added)
            {
                _listeners[l.Where] = l;
                if (_running is { } token)
                {
                    Start(l, token);
                }
            }

            Volatile.Write(ref _listening, [.. _listeners.Keys]);
        }
    }

    /// <summary>
    /// The upstream servers from now on, tried in this order (the engine merges the configured ones
    /// with those learnt from DHCPv6 option 23 and RA RDNSS; a link-local one, as RDNSS often gives,
    /// needs its <see cref="IPAddress.ScopeId"/> set to the WAN's interface index). The cache is kept;
    /// call <see cref="DnsCache.Clear"/> on the core's cache to drop it.
    /// </summary>
    public void SetUpstreams(IReadOnlyList<IPAddress> upstreams)
    {
        ArgumentNullException.ThrowIfNull(upstreams);
        _upstream.Upstreams = [.. upstreams];
    }

    /// <summary>Serves until <paramref name="stop"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        lock (_lock)
        {
            _running = stop;
            foreach (Listener l in _listeners.Values)
            {
                Start(l, stop);
            }
        }

        try
        {
            await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        Task[] loops;
        lock (_lock)
        {
            _running = null;
            loops = [.. _listeners.Values.Select(l => l.Loops)];
        }

        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        // The semaphores are not disposed: forwards still in flight release them when they end.
        lock (_lock)
        {
            foreach (Listener l in _listeners.Values)
            {
                l.Close();
            }
        }
    }

    private void Start(Listener l, CancellationToken stop)
    {
        l.Stop?.Cancel();
        l.Stop?.Dispose();
        l.Stop = CancellationTokenSource.CreateLinkedTokenSource(stop);
        CancellationToken token = l.Stop.Token;
        // On the thread pool, not here: with datagrams already queued a receive completes at once, and the
        // loop would go on answering on the caller's thread while it holds the lock.
        l.Loops = Task.WhenAll(
            Task.Run(() => ServeUdpAsync(l.Where, l.Udp, token), CancellationToken.None),
            Task.Run(() => AcceptTcpAsync(l.Where, l.Tcp, token), CancellationToken.None));
    }

    private static List<Listener> OpenAll(IEnumerable<DnsListenAddress> listen, DnsForwarderOptions options)
    {
        var opened = new List<Listener>();
        try
        {
            foreach (DnsListenAddress where in listen)
            {
                Socket udp = Bound(where, SocketType.Dgram, ProtocolType.Udp, options.Port);
                Socket tcp;
                try
                {
                    tcp = Bound(where, SocketType.Stream, ProtocolType.Tcp, options.Port);
                    tcp.Listen(options.MaxTcpConnections);
                }
                catch
                {
                    udp.Dispose();
                    throw;
                }

                opened.Add(new Listener(where, udp, tcp));
            }
        }
        catch
        {
            foreach (Listener l in opened)
            {
                l.Close();
            }

            throw;
        }

        return opened;
    }

    private static Socket Bound(DnsListenAddress where, SocketType type, ProtocolType protocol, int port)
    {
        var socket = new Socket(where.Address.AddressFamily, type, protocol);
        try
        {
            InterfaceSocket.BindToDevice(socket, where.InterfaceName);
            // An address still in DAD, or not yet added, can be bound: the socket serves once it is there.
            if (where.Address.AddressFamily == AddressFamily.InterNetwork)
            {
                socket.SetRawSocketOption(SolIp, IpFreebind, BitConverter.GetBytes(1));
            }
            else
            {
                socket.SetRawSocketOption(SolIpv6, Ipv6Freebind, BitConverter.GetBytes(1));
            }

            try
            {
                socket.Bind(new IPEndPoint(where.Address, port));
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                bool udp = protocol == ProtocolType.Udp;
                IReadOnlyList<PortHolderProcess> holders = udp ? PortHolder.Udp(port) : PortHolder.Tcp(port);
                string who = holders.Count > 0 ? string.Join(", ", holders) : "a program this process cannot see";
                throw new PortInUseException(
                    $"The DNS forwarder port ({(udp ? "UDP" : "TCP")} {port}) on {where.Address} ({where.InterfaceName}) is held by {who}; stop it (another DNS server such as dnsmasq or systemd-resolved, so the router's DNS forwarder can run).", e);
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task ServeUdpAsync(DnsListenAddress where, Socket socket, CancellationToken stop)
    {
        byte[] buffer = new byte[ushort.MaxValue];
        EndPoint any = new IPEndPoint(where.Address.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        while (!stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, stop).ConfigureAwait(false);
            }
            catch (Exception e) when (stop.IsCancellationRequested && e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return; // stopped, or this address was dropped and its socket closed
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused)
            {
                continue; // an ICMP error about an earlier answer
            }

            DnsDecision decision = _core.Decide(buffer.AsSpan(0, received.ReceivedBytes));
            EndPoint client = received.RemoteEndPoint;
            switch (decision.Kind)
            {
                case DnsDecisionKind.Answer:
                    await SendUdpAsync(socket, decision.Response!, Limit(buffer.AsSpan(0, received.ReceivedBytes)), client, stop).ConfigureAwait(false);
                    break;
                case DnsDecisionKind.Forward when _pending.Wait(0):
                    DnsMessage query = DnsMessage.Parse(buffer.AsSpan(0, received.ReceivedBytes));
                    _ = Task.Run(async () =>
                    {
                        try
                        {
                            DnsMessage answer = await ForwardAsync(query, stop).ConfigureAwait(false);
                            await SendUdpAsync(socket, answer, DnsResolverCore.UdpLimit(query), client, stop).ConfigureAwait(false);
                        }
                        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
                        {
                            // stopping
                        }
                        finally
                        {
                            _pending.Release();
                        }
                    }, CancellationToken.None);
                    break;
                default:
                    break;
            }
        }
    }

    private static int Limit(ReadOnlySpan<byte> query)
    {
        try
        {
            return DnsResolverCore.UdpLimit(DnsMessage.Parse(query));
        }
        catch (IpoeRouter.Protocols.Wire.WireFormatException)
        {
            return DnsMessage.ClassicUdpLimit;
        }
    }

    private async Task<DnsMessage> ForwardAsync(DnsMessage query, CancellationToken stop)
    {
        if (_upstream.Upstreams.Count == 0)
        {
            return _core.Fail(query);
        }

        DnsMessage? answer = await _upstream.AskAsync(query, stop).ConfigureAwait(false);
        return answer is null ? _core.Fail(query) : _core.Complete(query, answer);
    }

    private async Task SendUdpAsync(Socket socket, DnsMessage answer, int limit, EndPoint client, CancellationToken stop)
    {
        try
        {
            await socket.SendToAsync(answer.ToArray(limit), SocketFlags.None, client, stop).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            _log($"DNS forwarder: the answer to {client} was not sent ({e.SocketErrorCode})");
        }
        catch (Exception e) when (stop.IsCancellationRequested && e is OperationCanceledException or ObjectDisposedException)
        {
            // stopping, or the address was dropped
        }
    }

    private async Task AcceptTcpAsync(DnsListenAddress where, Socket listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await listener.AcceptAsync(stop).ConfigureAwait(false);
            }
            catch (Exception e) when (stop.IsCancellationRequested && e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            catch (SocketException e)
            {
                _log($"DNS forwarder on {where.Address}: accept failed ({e.SocketErrorCode})");
                continue;
            }

            if (!_connections.Wait(0))
            {
                connection.Dispose();
                continue;
            }

            _ = Task.Run(() => ServeTcpAsync(connection, stop), CancellationToken.None);
        }
    }

    private async Task ServeTcpAsync(Socket connection, CancellationToken stop)
    {
        try
        {
            using (connection)
            {
                while (!stop.IsCancellationRequested)
                {
                    using var idle = CancellationTokenSource.CreateLinkedTokenSource(stop);
                    idle.CancelAfter(_options.TcpIdleTimeout);
                    byte[]? message = await DnsTcpFraming.ReadAsync(connection, idle.Token).ConfigureAwait(false);
                    if (message is null)
                    {
                        return;
                    }

                    DnsDecision decision = _core.Decide(message);
                    DnsMessage? answer = decision.Kind switch
                    {
                        DnsDecisionKind.Answer => decision.Response,
                        DnsDecisionKind.Forward => await ForwardAsync(DnsMessage.Parse(message), stop).ConfigureAwait(false),
                        _ => null,
                    };
                    if (answer is null)
                    {
                        return;
                    }

                    await DnsTcpFraming.WriteAsync(connection, answer.ToArray(ushort.MaxValue), stop).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // idle timeout, stop, or the client went away
        }
        finally
        {
            _connections.Release();
        }
    }

    /// <summary>One address answered on: its UDP socket and TCP listener, and the loops serving them.</summary>
    private sealed class Listener(DnsListenAddress where, Socket udp, Socket tcp)
    {
        public DnsListenAddress Where { get; } = where;

        public Socket Udp { get; } = udp;

        public Socket Tcp { get; } = tcp;

        public CancellationTokenSource? Stop { get; set; }

        public Task Loops { get; set; } = Task.CompletedTask;

        public void Close()
        {
            Stop?.Cancel();
            Udp.Dispose();
            Tcp.Dispose();
            if (Stop is { } stop)
            {
                // The linked source holds a registration on the run's token: dispose it once the loops have seen the cancel.
                Loops.ContinueWith(_ => stop.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }
}
