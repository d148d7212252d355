using IpoeRouter.Protocols.Dhcp6;
using IpoeRouter.Protocols.Wire;
using IpoeRouter.Services.Hosting;

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
/// does not parse is dropped and logged (at most once a minute); the client keeps serving. On cancellation the binding is
/// released (Release, waiting for the Reply for at most <see cref="ReleaseWait"/>).
/// </summary>
public sealed class PdClientHost(PdClient client, IDhcp6ClientTransport transport, TimeProvider time, Func<PdLeaseChanged, ValueTask> onLeaseChanged, Action<string> log)
{
    private readonly LogRateLimiter _malformed = new(log, time);

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

    private Task PumpAsync(CancellationToken token) =>
        ClientLoop.RunAsync(transport.ReceiveAsync, () => client.NextWake, () => client.State == PdState.Stopped, OnDatagramAsync,
            () => ExecuteAsync(client.Tick(time.GetUtcNow()), token), time, token);

    private async Task OnDatagramAsync(ReadOnlyMemory<byte> datagram)
    {
        Dhcp6Message message;
        try
        {
            message = Dhcp6Message.Parse(datagram.Span);
        }
        catch (WireFormatException e)
        {
            _malformed.Write("malformed", $"DHCPv6: dropped a malformed datagram of {datagram.Length} bytes: {e.Message}");
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
