using IpoeRouter.Engine.Loop;
using Xunit;

namespace IpoeRouter.Engine.Tests.Loop;

/// <summary>
/// The loop's scheduling on the real clock with short windows: what it asserts is which passes run
/// for which causes (counts and kinds), never how fast; every wait is bounded by a hang guard.
/// </summary>
public sealed class ReconcileLoopTests
{
    private static readonly TimeSpan s_guard = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ABurstOfCauses_WithinTheSettleWindow_GivesOnePass_ThatNamesThemAll()
    {
        var passes = new List<IReadOnlyList<Cause>>();
        var loop = new ReconcileLoop(TimeProvider.System, causes => { lock (passes) { passes.Add(causes); } return new PassOutcome.Converged(); },
            new ReconcileLoopOptions { SettleWindow = TimeSpan.FromMilliseconds(300), ResyncInterval = TimeSpan.FromHours(1) });
        using var stop = new CancellationTokenSource();
        Task running = loop.RunAsync(Cause(CauseKind.Start), stop.Token);
        await WaitFor(() => loop.Passes == 1);

        for (int i = 0; i < 49; i++)
        {
            loop.Post(Cause(CauseKind.Address, $"address {i}"));
        }

        PassRecord record = await loop.RequestPassAsync(Cause(CauseKind.Document)).WaitAsync(s_guard);

        Assert.Equal(2, record.Number);
        Assert.Equal(50, record.Causes.Count);
        Assert.Equal(49, record.Causes.Count(c => c.Kind == CauseKind.Address));
        Assert.Equal(49, loop.CauseCounts[CauseKind.Address]);
        await Stop(stop, running);
        Assert.Equal(2, passes.Count);
    }

    [Fact]
    public async Task ACauseArrivingDuringAPass_GivesAnotherPassAfterIt()
    {
        using var inPass = new SemaphoreSlim(0);
        using var release = new SemaphoreSlim(0);
        int calls = 0;
        var loop = new ReconcileLoop(TimeProvider.System, causes =>
        {
            if (Interlocked.Increment(ref calls) == 2)
            {
                inPass.Release();
                release.Wait(s_guard);
            }

            return new PassOutcome.Converged();
        }, new ReconcileLoopOptions { SettleWindow = TimeSpan.Zero, ResyncInterval = TimeSpan.FromHours(1) });
        using var stop = new CancellationTokenSource();
        Task running = loop.RunAsync(Cause(CauseKind.Start), stop.Token);
        await WaitFor(() => loop.Passes == 1);

        loop.Post(Cause(CauseKind.Route, "first"));
        Assert.True(await inPass.WaitAsync(s_guard));
        Task<PassRecord> later = loop.RequestPassAsync(Cause(CauseKind.Link, "while the pass runs"));
        release.Release();
        PassRecord record = await later.WaitAsync(s_guard);

        Assert.Equal(3, record.Number);
        Assert.Equal(CauseKind.Link, Assert.Single(record.Causes).Kind);
        await Stop(stop, running);
    }

    [Fact]
    public async Task APendingOutcome_IsTriedAgain_AfterItsTime_WithARetryCause()
    {
        var kinds = new List<CauseKind>();
        var loop = new ReconcileLoop(TimeProvider.System, causes =>
        {
            lock (kinds)
            {
                kinds.AddRange(causes.Select(c => c.Kind));
                return kinds.Count < 3 ? new PassOutcome.Pending(TimeSpan.FromMilliseconds(50)) : new PassOutcome.Converged();
            }
        }, new ReconcileLoopOptions { SettleWindow = TimeSpan.Zero, ResyncInterval = TimeSpan.FromHours(1) });
        using var stop = new CancellationTokenSource();
        Task running = loop.RunAsync(Cause(CauseKind.Start), stop.Token);

        await WaitFor(() => loop.Passes >= 3);
        await Task.Delay(300); // converged: nothing more runs by itself (the resync is an hour away)

        await Stop(stop, running);
        Assert.Equal([CauseKind.Start, CauseKind.Retry, CauseKind.Retry], kinds);
    }

    [Fact]
    public async Task WithNoCause_TheResyncRunsAPass_AndTheHeartbeatKeepsComing()
    {
        int beats = 0;
        var loop = new ReconcileLoop(TimeProvider.System, _ => new PassOutcome.Converged(),
            new ReconcileLoopOptions { SettleWindow = TimeSpan.Zero, ResyncInterval = TimeSpan.FromMilliseconds(200), HeartbeatInterval = TimeSpan.FromMilliseconds(20) })
        {
            Alive = () => Interlocked.Increment(ref beats),
        };
        using var stop = new CancellationTokenSource();
        Task running = loop.RunAsync(Cause(CauseKind.Start), stop.Token);

        await WaitFor(() => loop.Passes >= 3);

        Assert.Equal(CauseKind.Resync, Assert.Single(loop.Last!.Causes).Kind);
        Assert.True(Volatile.Read(ref beats) > loop.Passes, $"{beats} heartbeats for {loop.Passes} passes");
        await Stop(stop, running);
    }

    [Fact]
    public async Task AHungPass_StopsTheHeartbeat_SoTheWatchdogCanSeeIt()
    {
        int beats = 0;
        using var hang = new ManualResetEventSlim();
        var loop = new ReconcileLoop(TimeProvider.System, causes =>
        {
            if (causes.Any(c => c.Kind == CauseKind.Firewall))
            {
                hang.Wait(s_guard);
            }

            return new PassOutcome.Converged();
        }, new ReconcileLoopOptions { SettleWindow = TimeSpan.Zero, ResyncInterval = TimeSpan.FromHours(1), HeartbeatInterval = TimeSpan.FromMilliseconds(10) })
        {
            Alive = () => Interlocked.Increment(ref beats),
        };
        using var stop = new CancellationTokenSource();
        Task running = loop.RunAsync(Cause(CauseKind.Start), stop.Token);
        await WaitFor(() => loop.Passes == 1);
        loop.Post(Cause(CauseKind.Firewall));
        await Task.Delay(100);

        int during = Volatile.Read(ref beats);
        await Task.Delay(300);
        Assert.Equal(during, Volatile.Read(ref beats));

        hang.Set();
        await WaitFor(() => Volatile.Read(ref beats) > during);
        await Stop(stop, running);
    }

    [Fact]
    public async Task APassThatThrows_IsAFailedPass_TriedAgain_AndTheLoopGoesOn()
    {
        Exception? seen = null;
        int calls = 0;
        var loop = new ReconcileLoop(TimeProvider.System, _ => Interlocked.Increment(ref calls) == 2 ? throw new InvalidOperationException("a bug") : new PassOutcome.Converged(),
            new ReconcileLoopOptions { SettleWindow = TimeSpan.Zero, ResyncInterval = TimeSpan.FromHours(1) })
        {
            Faulted = e => seen = e,
        };
        using var stop = new CancellationTokenSource();
        Task running = loop.RunAsync(Cause(CauseKind.Start), stop.Token);
        await WaitFor(() => loop.Passes == 1);

        PassRecord failed = await loop.RequestPassAsync(Cause(CauseKind.Document)).WaitAsync(s_guard);
        PassRecord next = await loop.RequestPassAsync(Cause(CauseKind.Document)).WaitAsync(s_guard);

        Assert.IsType<PassOutcome.Failed>(failed.Outcome);
        Assert.IsType<InvalidOperationException>(seen);
        Assert.IsType<PassOutcome.Converged>(next.Outcome);
        await Stop(stop, running);
    }

    [Fact]
    public async Task Waiters_AreCancelled_WhenTheLoopEnds_AndAskingAfterwardsIsCancelledAtOnce()
    {
        using var block = new ManualResetEventSlim();
        var loop = new ReconcileLoop(TimeProvider.System, causes =>
        {
            if (causes.Any(c => c.Kind == CauseKind.Lease))
            {
                block.Wait(s_guard);
            }

            return new PassOutcome.Converged();
        }, new ReconcileLoopOptions { SettleWindow = TimeSpan.Zero, ResyncInterval = TimeSpan.FromHours(1) });
        using var stop = new CancellationTokenSource();
        Task running = loop.RunAsync(Cause(CauseKind.Start), stop.Token);
        await WaitFor(() => loop.Passes == 1);
        loop.Post(Cause(CauseKind.Lease));
        await Task.Delay(50);
        Task<PassRecord> waiting = loop.RequestPassAsync(Cause(CauseKind.Control));

        await stop.CancelAsync();
        block.Set();
        await running.WaitAsync(s_guard);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop.RequestPassAsync(Cause(CauseKind.Control)));
    }

    private static Cause Cause(CauseKind kind, string detail = "test") => new(kind, detail, DateTimeOffset.UtcNow);

    private static async Task WaitFor(Func<bool> done)
    {
        DateTime until = DateTime.UtcNow + s_guard;
        while (!done())
        {
            Assert.True(DateTime.UtcNow < until, "the loop never got there");
            await Task.Delay(10);
        }
    }

    private static async Task Stop(CancellationTokenSource stop, Task running)
    {
        await stop.CancelAsync();
        await running.WaitAsync(s_guard);
    }
}
