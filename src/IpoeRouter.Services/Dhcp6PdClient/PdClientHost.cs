using IpoeRouter.Protocols.Dhcp6;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Services.Dhcp6PdClient;

/// <summary>How the PD client's packets leave and arrive: a UDP socket on the WAN in production, a pair of queues in tests.</summary>
public interface IDhcp6ClientTransport : IDisposable
{
    /// <summary>Sends one message to All_DHCP_Relay_Agents_and_Servers on the WAN.</summary>
    ValueTask SendAsync(ReadOnlyMemory<byte> packet, CancellationToken cancellationToken);

    /// <summary>Waits for one datagram addressed to the client port; returns its length.</summary>
    ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken);
}

/// <summary>
/// Runs a <see cref="PdClient"/>: feeds it datagrams and the clock, sends what it asks, and hands each
/// lease change to <c>onLeaseChanged</c> (which saves it and re-plans) before going on. A datagram that
/// does not parse is logged and dropped; the client keeps serving. On cancellation the binding is
/// released (Release, waiting for the Reply for at most <see cref="ReleaseWait"/>).
/// </summary>
public sealed class PdClientHost(PdClient client, IDhcp6ClientTransport transport, TimeProvider time, Func<PdLeaseChanged, ValueTask> onLeaseChanged, Action<string> log)
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromDays(1);

    /// <summary>How long a graceful stop waits for the server to confirm a Release.</summary>
    public TimeSpan ReleaseWait { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Whether a stop releases the binding (true: the server may hand the prefix to someone else). An
    /// agent that stops only to start again (upgrade, restart) sets false, so the next run Rebinds the
    /// saved lease and the LAN keeps its prefix.
    /// </summary>
    public bool ReleaseOnStop { get; init; } = true;

    /// <summary>Runs until <paramref name="stop"/> is cancelled, then releases the binding (see <see cref="ReleaseOnStop"/>).</summary>
    public async Task RunAsync(PdLease? saved, CancellationToken stop)
    {
        await ExecuteAsync(client.Start(time.GetUtcNow(), saved), CancellationToken.None).ConfigureAwait(false);
        await PumpAsync(stop).ConfigureAwait(false);
        if (!ReleaseOnStop)
        {
            return;
        }

        await ExecuteAsync(client.Stop(time.GetUtcNow()), CancellationToken.None).ConfigureAwait(false);
        if (client.State == PdState.Releasing)
        {
            using var release = new CancellationTokenSource(ReleaseWait, time);
            await PumpAsync(release.Token).ConfigureAwait(false);
        }
    }

    private async Task PumpAsync(CancellationToken token)
    {
        byte[] buffer = new byte[ushort.MaxValue];
        Task<int>? receive = null;
        using var pending = CancellationTokenSource.CreateLinkedTokenSource(token); // ends a receive left over when the loop exits
        try
        {
            while (!token.IsCancellationRequested && client.State != PdState.Stopped)
            {
                receive ??= transport.ReceiveAsync(buffer, pending.Token).AsTask();
                DateTimeOffset now = time.GetUtcNow();
                TimeSpan delay = client.NextWake is { } wake ? (wake > now ? wake - now : TimeSpan.Zero) : Timeout.InfiniteTimeSpan;
                if (delay > MaxWait)
                {
                    delay = MaxWait; // Task.Delay refuses waits over ~49 days (a long static delegation); an early Tick does nothing
                }

                using var wait = CancellationTokenSource.CreateLinkedTokenSource(token);
                Task timer = Task.Delay(delay, time, wait.Token);
                Task first = await Task.WhenAny(receive, timer).ConfigureAwait(false);
                await wait.CancelAsync().ConfigureAwait(false);
                if (first == receive)
                {
                    int length = await receive.ConfigureAwait(false);
                    receive = null;
                    await OnDatagramAsync(buffer.AsMemory(0, length)).ConfigureAwait(false);
                }
                else if (timer.IsCompletedSuccessfully)
                {
                    await ExecuteAsync(client.Tick(time.GetUtcNow()), token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        finally
        {
            await pending.CancelAsync().ConfigureAwait(false);
            if (receive is not null)
            {
                await receive.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
            }
        }
    }

    private async Task OnDatagramAsync(ReadOnlyMemory<byte> datagram)
    {
        Dhcp6Message message;
        try
        {
            message = Dhcp6Message.Parse(datagram.Span);
        }
        catch (WireFormatException e)
        {
            log($"DHCPv6: dropped a malformed datagram of {datagram.Length} bytes: {e.Message}");
            return;
        }

        await ExecuteAsync(client.Receive(time.GetUtcNow(), message), CancellationToken.None).ConfigureAwait(false);
    }

    private async Task ExecuteAsync(IReadOnlyList<PdAction> actions, CancellationToken token)
    {
        foreach (PdAction action in actions)
        {
            switch (action)
            {
                case PdSend send:
                    try
                    {
                        await transport.SendAsync(send.Message.ToArray(), token).ConfigureAwait(false);
                    }
                    catch (System.Net.Sockets.SocketException e)
                    {
                        // The WAN is down or has no usable link-local address yet: as good as a lost
                        // packet; the exchange's retransmission timer sends it again (RFC 8415 §15).
                        log($"DHCPv6: {send.Message.Type} not sent ({e.SocketErrorCode}: {e.Message}); retransmitting on schedule");
                    }

                    break;
                case PdLeaseChanged changed:
                    await onLeaseChanged(changed).ConfigureAwait(false);
                    break;
            }
        }
    }
}
