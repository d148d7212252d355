namespace IpoeRouter.Services.Hosting;

/// <summary>
/// The loop a DHCP client's host runs (DHCPv6-PD and the WAN's DHCPv4 alike): wait for whichever
/// comes first, a datagram or the state machine's next wake-up; hand the datagram or the tick to the
/// host; stop when the token ends or the machine says it is done. The one receive left
/// pending when the loop ends is cancelled and awaited, so the socket is free for the next loop.
/// </summary>
internal static class ClientLoop
{
    /// <summary>Task.Delay refuses waits over ~49 days (an infinite lease); a day is safe, and an early tick does nothing.</summary>
    private static readonly TimeSpan s_maxWait = TimeSpan.FromDays(1);

    /// <summary>Runs the loop for a transport whose receive returns the datagram's length.</summary>
    public static Task RunAsync(
        Func<Memory<byte>, CancellationToken, ValueTask<int>> receive,
        Func<DateTimeOffset?> nextWake,
        Func<bool> done,
        Func<ReadOnlyMemory<byte>, Task> onDatagram,
        Func<Task> onTick,
        TimeProvider time,
        CancellationToken token) =>
        RunAsync<int>((buffer, cancel) => receive(buffer, cancel), nextWake, done, (length, buffer) => onDatagram(buffer.AsMemory(0, length)), onTick, time, token);

    /// <summary>
    /// Runs the loop for a transport whose receive describes what it wrote to the buffer
    /// (<typeparamref name="TReceived"/>: a length and a kind of frame, say); <paramref name="onReceived"/>
    /// gets that description and the buffer.
    /// </summary>
    public static async Task RunAsync<TReceived>(
        Func<byte[], CancellationToken, ValueTask<TReceived>> receive,
        Func<DateTimeOffset?> nextWake,
        Func<bool> done,
        Func<TReceived, byte[], Task> onReceived,
        Func<Task> onTick,
        TimeProvider time,
        CancellationToken token)
    {
        byte[] buffer = new byte[ushort.MaxValue];
        Task<TReceived>? pendingReceive = null;
        using var pending = CancellationTokenSource.CreateLinkedTokenSource(token); // ends a receive left over when the loop exits
        try
        {
            while (!token.IsCancellationRequested && !done())
            {
                pendingReceive ??= receive(buffer, pending.Token).AsTask();
                DateTimeOffset now = time.GetUtcNow();
                TimeSpan delay = nextWake() is { } wake ? (wake > now ? wake - now : TimeSpan.Zero) : Timeout.InfiniteTimeSpan;
                if (delay > s_maxWait)
                {
                    delay = s_maxWait;
                }

                using var wait = CancellationTokenSource.CreateLinkedTokenSource(token);
                Task timer = Task.Delay(delay, time, wait.Token);
                Task first = await Task.WhenAny(pendingReceive, timer).ConfigureAwait(false);
                await wait.CancelAsync().ConfigureAwait(false);
                if (first == pendingReceive)
                {
                    TReceived received = await pendingReceive.ConfigureAwait(false);
                    pendingReceive = null;
                    await onReceived(received, buffer).ConfigureAwait(false);
                }
                else if (timer.IsCompletedSuccessfully)
                {
                    await onTick().ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        finally
        {
            await pending.CancelAsync().ConfigureAwait(false);
            if (pendingReceive is not null)
            {
                await pendingReceive.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
            }
        }
    }
}
