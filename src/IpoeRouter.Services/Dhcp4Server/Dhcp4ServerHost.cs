using System.Net;
using System.Net.Sockets;
using IpoeRouter.Protocols.Dhcp4;
using IpoeRouter.Protocols.Wire;
using IpoeRouter.Services.Hosting;

namespace IpoeRouter.Services.Dhcp4Server;

/// <summary>
/// Writes the neighbour entry <paramref name="address"/> → <paramref name="hardwareAddress"/> on the
/// scope's interface, so a reply can be unicast to a client that cannot answer ARP yet.
/// </summary>
public delegate void Dhcp4NeighborWriter(IPAddress address, ByteString hardwareAddress);

/// <summary>
/// The DHCPv4 server of one LAN: a UDP socket on 0.0.0.0:67 bound to that interface only, one
/// <see cref="ScopeServer"/> deciding, and the scope's <see cref="LeaseJournal"/> making each decision
/// durable before its reply leaves. Messages and expiries are decided one at a time, and each
/// decision's lease changes are queued to the journal in the same critical section, so the journal
/// holds them in decision order (a renewal decided after an expiry of the same lease is never
/// replayed before it); their writes overlap (group commit), so a burst of clients costs one fsync
/// per batch, not per client. A reply whose lease could not be written is dropped — the client asks again — and a
/// malformed datagram, a full pool or a flooding client is logged and never stops the others.
/// </summary>
public sealed class Dhcp4ServerHost : IDisposable
{
    /// <summary>The DHCPv4 server port.</summary>
    public const int ServerPort = 67;

    private readonly Socket _socket;
    private readonly string _interfaceName;
    private readonly ScopeServer _server;
    private readonly LeaseJournal _journal;
    private readonly Dhcp4NeighborWriter? _neighbors;
    private readonly Action<string> _log;
    private readonly object _gate = new(); // the scope server is single-threaded: the receive loop and the expiry loop share it
    private readonly LogRateLimiter _limited;
    private readonly HashSet<Task> _inFlight = [];
    private long _received, _replied, _dropped, _unwritten;

    private readonly SortedDictionary<long, IReadOnlyList<Dhcp4LeaseChange>?> _ready = []; // committed, waiting for an earlier decision's commit
    private long _decided, _delivered; // decisions with lease changes, numbered under _gate; delivered so far

    private Dhcp4ServerHost(Socket socket, string interfaceName, ScopeServer server, LeaseJournal journal, Dhcp4NeighborWriter? neighbors, Action<string> log)
    {
        _socket = socket;
        _interfaceName = interfaceName;
        _server = server;
        _journal = journal;
        _neighbors = neighbors;
        _log = log;
        _limited = new LogRateLimiter(log);
    }

    /// <summary>
    /// Hands committed lease changes to <see cref="LeasesChanged"/> in the order they were decided:
    /// commits of one group complete together and their continuations may run in any order, and a name
    /// must not be dropped because "expired" overtook the "bound again" decided after it.
    /// </summary>
    private void Deliver(long sequence, IReadOnlyList<Dhcp4LeaseChange>? changes)
    {
        lock (_ready)
        {
            _ready[sequence] = changes;
            while (_ready.Remove(_delivered + 1, out IReadOnlyList<Dhcp4LeaseChange>? next))
            {
                _delivered++;
                if (next is not null)
                {
                    LeasesChanged?.Invoke(next);
                }
            }
        }
    }

    /// <summary>Called after lease changes are on disk (a client bound, renewed, released or expired), in the order decided, for the DNS forwarder's names.</summary>
    public Action<IReadOnlyList<Dhcp4LeaseChange>>? LeasesChanged { get; set; }

    /// <summary>Datagrams received.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Replies sent.</summary>
    public long Replied => Interlocked.Read(ref _replied);

    /// <summary>Requests left unanswered by decision (invalid, rate-limited, pool full, not ours …).</summary>
    public long Unanswered => Interlocked.Read(ref _dropped);

    /// <summary>Replies dropped because their lease could not be written.</summary>
    public long Unwritten => Interlocked.Read(ref _unwritten);

    /// <summary>The interface served.</summary>
    public string Interface => _interfaceName;

    /// <summary>The scope's configuration.</summary>
    public Dhcp4ScopeConfig Config => _server.Config;

    /// <summary>A snapshot of the scope's leases.</summary>
    public IReadOnlyList<Dhcp4Lease> Leases()
    {
        lock (_gate)
        {
            return [.. _server.Leases.All];
        }
    }

    /// <summary>
    /// Opens the server's socket on <paramref name="interfaceName"/>; UDP 67 held by another program
    /// (dnsmasq, kea-dhcp4, dhcpd) is a <see cref="PortInUseException"/> naming it. The host serves
    /// <paramref name="server"/>, whose lease table must be <paramref name="journal"/>'s.
    /// </summary>
    public static Dhcp4ServerHost Open(string interfaceName, ScopeServer server, LeaseJournal journal, Dhcp4NeighborWriter? neighbors, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(journal);
        if (!ReferenceEquals(server.Leases, journal.Table))
        {
            throw new ArgumentException("The scope server must decide on the journal's lease table.", nameof(server));
        }

        Socket socket = InterfaceSocket.Udp4(interfaceName, ServerPort, "DHCPv4 server",
            "another DHCPv4 server such as dnsmasq, kea-dhcp4 or isc-dhcp-server, so the router's DHCPv4 server can run");
        return Create(socket, interfaceName, server, journal, neighbors, log);
    }

    /// <summary>A host on a socket made elsewhere (tests: a loopback socket, no interface needed).</summary>
    internal static Dhcp4ServerHost Create(Socket socket, string interfaceName, ScopeServer server, LeaseJournal journal, Dhcp4NeighborWriter? neighbors, Action<string> log) =>
        new(socket, interfaceName, server, journal, neighbors, log);

    /// <summary>Test seam: runs after an expiry was decided and its lease changes queued, before the rest of that step.</summary>
    internal Action? AfterExpiryDecided { get; set; }

    /// <summary>Waits for every decision's journal write and reply in flight.</summary>
    internal async Task DrainAsync()
    {
        Task[] pending;
        lock (_inFlight)
        {
            pending = [.. _inFlight];
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
    }

    /// <summary>Serves until <paramref name="stop"/> is cancelled, then waits for the replies whose leases are being written.</summary>
    public async Task RunAsync(TimeProvider time, CancellationToken stop)
    {
        Task expiry = ExpireAsync(time, stop);
        try
        {
            await ReceiveAsync(time, stop).ConfigureAwait(false);
        }
        finally
        {
            await DrainAsync().ConfigureAwait(false);
            await expiry.ConfigureAwait(false);
        }
    }

    private Task ReceiveAsync(TimeProvider time, CancellationToken stop) => Hosting.ServerLoop.RunAsync(
        _socket,
        new IPEndPoint(IPAddress.Any, 0),
        Dhcp4Message.Parse,
        () => Interlocked.Increment(ref _received),
        (length, from, e) =>
        {
            Interlocked.Increment(ref _dropped);
            LogOnce(Dhcp4NoReplyReason.Invalid, time.GetUtcNow(), $"dropped a malformed datagram of {length} bytes from {from}: {e.Message}");
        },
        (request, _) =>
        {
            OnRequest(request, time.GetUtcNow(), stop);
            return ValueTask.CompletedTask;
        },
        stop);

    /// <summary>Decides <paramref name="request"/>, queues its lease changes, and lets its reply leave once they are on disk.</summary>
    internal void OnRequest(Dhcp4Message request, DateTimeOffset now, CancellationToken stop)
    {
        (Dhcp4Decision decision, Task written, long sequence) = DecideAndQueue(() => _server.Handle(request, now));
        if (decision is Dhcp4NoReply silent)
        {
            Interlocked.Increment(ref _dropped);
            if (silent.Reason is not (Dhcp4NoReplyReason.Released or Dhcp4NoReplyReason.Declined or Dhcp4NoReplyReason.OtherServer))
            {
                LogOnce(silent.Reason, now, silent.Detail);
            }
        }

        Track(ThenSendAsync(decision, written, sequence, stop));
    }

    /// <summary>
    /// Makes one decision under the gate and, in the same critical section, queues its lease changes to
    /// the journal: the order of the lines in the journal is the order of the decisions. Returns the
    /// decision, the write (completed when on disk) and its number for <see cref="Deliver"/> (0: no changes).
    /// </summary>
    private (Dhcp4Decision Decision, Task Written, long Sequence) DecideAndQueue(Func<Dhcp4Decision> decide)
    {
        lock (_gate)
        {
            Dhcp4Decision decision = decide();
            if (decision.LeaseChanges.Count == 0)
            {
                return (decision, Task.CompletedTask, 0);
            }

            Task written;
            try
            {
                written = _journal.CommitAsync(decision.LeaseChanges, CancellationToken.None);
            }
            catch (ObjectDisposedException e)
            {
                written = Task.FromException(e); // stopping: reported like a failed write
            }

            return (decision, written, ++_decided);
        }
    }

    /// <summary>Reclaims lapsed leases and offers as they run out (at least once a minute).</summary>
    private async Task ExpireAsync(TimeProvider time, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            DateTimeOffset now = time.GetUtcNow();
            DateTimeOffset? next = ExpireDue(now, stop);
            TimeSpan wait = next is { } at && at - now < TimeSpan.FromMinutes(1) ? at - now : TimeSpan.FromMinutes(1);
            try
            {
                await Task.Delay(wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait, time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One expiry step: reclaims what lapsed by <paramref name="now"/>; returns when the next lease or offer lapses.</summary>
    internal DateTimeOffset? ExpireDue(DateTimeOffset now, CancellationToken stop)
    {
        DateTimeOffset? next = null;
        (Dhcp4Decision decision, Task written, long sequence) = DecideAndQueue(() =>
        {
            IReadOnlyList<Dhcp4LeaseChange> changes = _server.Expire(now);
            next = _server.NextExpiry;
            return new Dhcp4NoReply(Dhcp4NoReplyReason.NotHeld, "expired") { LeaseChanges = changes };
        });
        AfterExpiryDecided?.Invoke();
        if (sequence != 0)
        {
            Track(ThenSendAsync(decision, written, sequence, stop));
        }

        return next;
    }

    private void Track(Task task)
    {
        if (task.IsCompleted)
        {
            return;
        }

        lock (_inFlight)
        {
            _inFlight.Add(task);
        }

        task.ContinueWith(t =>
        {
            lock (_inFlight)
            {
                _inFlight.Remove(t);
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Waits for <paramref name="written"/> (the decision's lease changes on disk), hands them on in decision order, then sends the reply; nothing leaves for a lease not written.</summary>
    private async Task ThenSendAsync(Dhcp4Decision decision, Task written, long sequence, CancellationToken stop)
    {
        if (sequence != 0)
        {
            bool onDisk = false;
            try
            {
                await written.ConfigureAwait(false);
                onDisk = true;
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or UnauthorizedAccessException)
            {
                Interlocked.Increment(ref _unwritten);
                _log($"DHCPv4 server on {_interfaceName}: the lease file {_journal.Path} could not be written ({e.Message}); the reply was not sent, the client will ask again");
                return;
            }
            finally
            {
                Deliver(sequence, onDisk ? decision.LeaseChanges : null); // whatever happened, later decisions' changes are not held up
            }
        }

        if (decision is Dhcp4Reply reply)
        {
            await SendAsync(reply, stop).ConfigureAwait(false);
        }
    }

    private async Task SendAsync(Dhcp4Reply reply, CancellationToken stop)
    {
        Dhcp4Destination to = reply.Destination;
        IPAddress address = to.Address;
        if (to.Kind == Dhcp4DestinationKind.UnicastToHardware)
        {
            try
            {
                if (_neighbors is null)
                {
                    address = IPAddress.Broadcast;
                }
                else
                {
                    _neighbors(to.Address, to.HardwareAddress);
                }
            }
            catch (Exception e) when (e is IOException or InvalidOperationException)
            {
                // RFC 2131 §4.1 allows the broadcast when unicasting is not possible.
                _log($"DHCPv4 server on {_interfaceName}: no neighbour entry for {to.Address} ({e.Message}); broadcasting the reply");
                address = IPAddress.Broadcast;
            }
        }

        try
        {
            await _socket.SendToAsync(reply.Message.ToArray(), SocketFlags.None, new IPEndPoint(address, to.Port), stop).ConfigureAwait(false);
            Interlocked.Increment(ref _replied);
        }
        catch (SocketException e)
        {
            _log($"DHCPv4 server on {_interfaceName}: the {reply.Message.MessageType} to {address}:{to.Port} was not sent ({e.SocketErrorCode}: {e.Message})");
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // shutting down
        }
    }

    /// <summary>Logs one line per reason and minute (with how many were held back), so a flood or a full pool cannot fill the journal.</summary>
    private void LogOnce(Dhcp4NoReplyReason reason, DateTimeOffset now, string detail)
    {
        string what = reason switch
        {
            Dhcp4NoReplyReason.PoolExhausted => $"the pool {_server.Config.Pool} is full: ",
            Dhcp4NoReplyReason.RateLimited => "rate limit: ",
            _ => string.Empty,
        };
        _limited.Write(reason.ToString(), now, $"DHCPv4 server on {_interfaceName}: {what}{detail}");
    }

    /// <inheritdoc/>
    public void Dispose() => _socket.Dispose();
}
