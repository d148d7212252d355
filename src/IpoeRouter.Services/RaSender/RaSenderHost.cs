using System.Net;
using IpoeRouter.Protocols.Icmp6;
using IpoeRouter.Protocols.Wire;
using IpoeRouter.Services.Hosting;

namespace IpoeRouter.Services.RaSender;

/// <summary>How one LAN's advertisements leave and its solicitations arrive: a raw ICMPv6 socket in production, queues in tests.</summary>
public interface IRaTransport : IDisposable
{
    /// <summary>Sends one ICMPv6 message to all nodes (ff02::1) on the LAN with hop limit 255.</summary>
    ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken);

    /// <summary>
    /// Waits for one ICMPv6 message (the socket lets only Router Solicitations through) and reads it into
    /// <paramref name="buffer"/>; returns its length, the hop limit it arrived with and its sender.
    /// </summary>
    ValueTask<Ipv6Datagram> ReceiveAsync(byte[] buffer, CancellationToken cancellationToken);
}

/// <summary>One advertisement as sent: when, and what it said (for status and measurements).</summary>
public sealed record RaSent(DateTimeOffset At, RouterAdvertisement Advertisement);

/// <summary>
/// Runs the Router Advertisements of one LAN: unsolicited and solicited ones on the
/// <see cref="RaScheduler"/>'s timing with <see cref="RaContent"/>'s content, an immediate one when
/// <see cref="Update"/> brings new information, and a final one (router lifetime 0, prefixes
/// deprecated) when stopped, so hosts drop this router at once instead of after 30 minutes.
/// Advertises nothing while there is no prefix and no DNS to tell (a LAN before its first delegation).
/// A solicitation counts only with hop limit 255 (RFC 4861 §6.1.1: anything else may come from off
/// link); it and a malformed one are logged at most once a minute each.
/// </summary>
public sealed class RaSenderHost(string interfaceName, IRaTransport transport, TimeProvider time, Func<double> random, Action<string> log, RaIntervals? intervals = null)
{
    /// <summary>The hop limit a Router Solicitation must arrive with (RFC 4861 §6.1.1).</summary>
    public const int NeighborDiscoveryHopLimit = 255;

    private readonly RaScheduler _scheduler = new(random, intervals);
    private readonly LogRateLimiter _dropped = new(log, time);
    private readonly RaIntervals? _intervals = intervals;
    private readonly SemaphoreSlim _changed = new(0);
    private LanAnnouncement? _announcement;

    /// <summary>The LAN this host advertises on.</summary>
    public string InterfaceName => interfaceName;

    /// <summary>The last advertisement sent, or null before the first.</summary>
    public RaSent? LastSent { get; private set; }

    /// <summary>Called after every advertisement sent (on the host's loop; keep it short).</summary>
    public Action<RaSent>? Sent { get; init; }

    /// <summary>
    /// Whether stopping sends the final advertisement (router lifetime 0). Off when the sender stops only
    /// to start again at once (the agent's services restarted for a new document): hosts keep the router.
    /// </summary>
    public bool FinalOnStop { get; set; } = true;

    /// <summary>New information to announce (from the engine after a prefix event); an RA goes out at once when it differs.</summary>
    public void Update(LanAnnouncement announcement)
    {
        LanAnnouncement? previous = Interlocked.Exchange(ref _announcement, announcement);
        if (previous is null || !Same(previous, announcement))
        {
            _changed.Release();
        }
    }

    /// <summary>Advertises until <paramref name="stop"/> is cancelled, then sends the final advertisement.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        byte[] buffer = new byte[1500];
        Task<Ipv6Datagram>? receive = null;
        Task? changed = null;
        using var pending = CancellationTokenSource.CreateLinkedTokenSource(stop); // ends the waits left over when the loop exits
        _scheduler.Start(time.GetUtcNow());
        try
        {
            while (!stop.IsCancellationRequested)
            {
                receive ??= transport.ReceiveAsync(buffer, pending.Token).AsTask();
                changed ??= _changed.WaitAsync(pending.Token);
                DateTimeOffset now = time.GetUtcNow();
                if (_scheduler.NextAt is { } due && due <= now)
                {
                    await AdvertiseAsync(now, final: false, stop).ConfigureAwait(false);
                    continue;
                }

                TimeSpan delay = _scheduler.NextAt is { } next ? next - now : Timeout.InfiniteTimeSpan;
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop);
                Task timer = Task.Delay(delay, time, wait.Token);
                Task first = await Task.WhenAny(receive, changed, timer).ConfigureAwait(false);
                await wait.CancelAsync().ConfigureAwait(false);
                if (first == receive)
                {
                    Task<Ipv6Datagram> done = receive;
                    receive = null;
                    await OnReceivedAsync(done, buffer, stop).ConfigureAwait(false);
                }
                else if (first == changed)
                {
                    await changed.ConfigureAwait(false);
                    changed = null;
                    _scheduler.InformationChanged(time.GetUtcNow());
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            await pending.CancelAsync().ConfigureAwait(false);
            await Quietly(receive).ConfigureAwait(false);
            await Quietly(changed).ConfigureAwait(false);
        }

        if (LastSent is not null && FinalOnStop)
        {
            await AdvertiseAsync(time.GetUtcNow(), final: true, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Solicitations ignored so far (wrong hop limit or malformed).</summary>
    public long SolicitationsIgnored => Interlocked.Read(ref _ignored);

    private long _ignored;

    private async Task OnReceivedAsync(Task<Ipv6Datagram> receive, byte[] buffer, CancellationToken stop)
    {
        Ipv6Datagram datagram;
        try
        {
            datagram = await receive.ConfigureAwait(false);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            // A receive error (the link went away under us) must not end the advertising: note it, pause, go on.
            log($"RA on {interfaceName}: receive failed ({e.SocketErrorCode}: {e.Message}); going on");
            await Task.Delay(TimeSpan.FromSeconds(1), time, stop).ConfigureAwait(false);
            return;
        }

        if (datagram.HopLimit != NeighborDiscoveryHopLimit)
        {
            Interlocked.Increment(ref _ignored);
            _dropped.Write("hop-limit", $"RA on {interfaceName}: ignored a Router Solicitation from {datagram.Source?.ToString() ?? "an unknown sender"} with hop limit {datagram.HopLimit} (RFC 4861 §6.1.1 asks for 255: it may come from off link)");
            return;
        }

        if (IsSolicitation(buffer.AsSpan(0, datagram.Length), datagram.Source))
        {
            _scheduler.Solicited(time.GetUtcNow());
        }
    }

    private async Task AdvertiseAsync(DateTimeOffset now, bool final, CancellationToken token)
    {
        RouterAdvertisement ra;
        LanAnnouncement? lan = _announcement;
        if (lan is null || (!lan.Prefixes.Any(p => p.ValidLeft(now) > TimeSpan.Zero) && lan.DnsServers.Count == 0))
        {
            if (lan is null || LastSent is not { Advertisement.RouterLifetime: > 0 })
            {
                _scheduler.Skipped(); // nothing to tell: a router lifetime alone would only attract traffic we cannot route
                return;
            }

            // Nothing left to announce, but hosts still hold us as their default router: one RA with
            // router lifetime 0 tells them to stop (RFC 7084 G-4), then silence.
            ra = RaContent.Build(lan, now, final: true, _intervals);
        }
        else
        {
            ra = RaContent.Build(lan, now, final, _intervals);
        }

        _scheduler.Sent(now);
        try
        {
            await transport.SendAsync(ra.ToArray(), token).ConfigureAwait(false);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            log($"RA on {interfaceName}: not sent ({e.SocketErrorCode}: {e.Message}); trying again at the next interval");
            return;
        }

        var sent = new RaSent(now, ra);
        LastSent = sent;
        Sent?.Invoke(sent);
    }

    private bool IsSolicitation(ReadOnlySpan<byte> packet, IPAddress? source)
    {
        try
        {
            RouterSolicitation.Parse(packet);
            return true;
        }
        catch (WireFormatException e)
        {
            Interlocked.Increment(ref _ignored);
            _dropped.Write("malformed", $"RA on {interfaceName}: dropped a malformed Router Solicitation of {packet.Length} bytes from {source?.ToString() ?? "an unknown sender"}: {e.Message}");
            return false;
        }
    }

    /// <summary>Whether two announcements tell hosts the same thing: lifetimes refreshed by a Renew are not news, a prefix added or withdrawn is.</summary>
    private static bool Same(LanAnnouncement a, LanAnnouncement b) =>
        a.Prefixes.Select(p => (p.Prefix, p.WithdrawnAt is null)).SequenceEqual(b.Prefixes.Select(p => (p.Prefix, p.WithdrawnAt is null)))
        && a.DnsServers.SequenceEqual(b.DnsServers) && a.RevokedDnsServers.SequenceEqual(b.RevokedDnsServers) && a.SearchList.SequenceEqual(b.SearchList)
        && a.Mtu == b.Mtu && a.StatelessDhcp == b.StatelessDhcp && a.LinkLayerAddress.Equals(b.LinkLayerAddress);

    private static async Task Quietly(Task? task)
    {
        if (task is not null)
        {
            await task.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
        }
    }
}
