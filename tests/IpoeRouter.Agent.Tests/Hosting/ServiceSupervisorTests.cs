using System.Threading.Channels;
using IpoeRouter.Agent.Hosting;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace IpoeRouter.Agent.Tests.Hosting;

/// <summary>
/// The supervisor's restart backoff, on a fake clock: 1, 2, 4 … s while a service keeps failing, and
/// from 1 s again once it has run for a minute without failing.
/// </summary>
public sealed class ServiceSupervisorTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan s_hangGuard = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Run_FailsAfterALongHealthyRun_RestartsAfterOneSecondNotTheBackoffReached()
    {
        var harness = new Harness();
        using var stop = new CancellationTokenSource();
        Task supervised = harness.Supervisor.Run("svc", harness.RunOnce, stop.Token);

        DateTimeOffset started = await harness.FailRepeatedly(times: 4); // backoff has reached 16 s
        Assert.Equal(s_t0 + TimeSpan.FromSeconds(1 + 2 + 4 + 8), started);

        harness.Time.Advance(TimeSpan.FromSeconds(61)); // a long healthy run
        await harness.FailCurrentAndWaitForBackoff();
        harness.Time.Advance(TimeSpan.FromSeconds(1));

        DateTimeOffset restarted = await harness.NextStart();
        Assert.Equal(started + TimeSpan.FromSeconds(62), restarted);

        await stop.CancelAsync();
        harness.Current.SetCanceled(stop.Token);
        await supervised.WaitAsync(s_hangGuard);
    }

    [Fact]
    public async Task Run_FailsAfterAShortRun_KeepsDoublingTheBackoff()
    {
        var harness = new Harness();
        using var stop = new CancellationTokenSource();
        Task supervised = harness.Supervisor.Run("svc", harness.RunOnce, stop.Token);

        DateTimeOffset started = await harness.FailRepeatedly(times: 4);

        harness.Time.Advance(TimeSpan.FromSeconds(30)); // not long enough to count as recovered
        await harness.FailCurrentAndWaitForBackoff();
        harness.Time.Advance(TimeSpan.FromSeconds(15));
        Assert.False(harness.Started.Reader.TryRead(out _), "restarted before its 16 s backoff");

        harness.Time.Advance(TimeSpan.FromSeconds(1));
        DateTimeOffset restarted = await harness.NextStart();
        Assert.Equal(started + TimeSpan.FromSeconds(30 + 16), restarted);
        Assert.Contains(harness.Supervisor.Snapshot(), s => s.Name == "svc" && s.State == "Running");

        await stop.CancelAsync();
        harness.Current.SetCanceled(stop.Token);
        await supervised.WaitAsync(s_hangGuard);
    }

    /// <summary>A fake clock that says when a timer was made (the supervisor waiting out its backoff), and a service the test fails at will.</summary>
    private sealed class Harness
    {
        public Harness() => Supervisor = new ServiceSupervisor(Time, _ => { });

        public WatchedTime Time { get; } = new(s_t0);

        public ServiceSupervisor Supervisor { get; }

        public Channel<DateTimeOffset> Started { get; } = Channel.CreateUnbounded<DateTimeOffset>();

        public TaskCompletionSource Current { get; private set; } = new();

        public Task RunOnce()
        {
            Current = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Started.Writer.TryWrite(Time.GetUtcNow());
            return Current.Task;
        }

        public async Task<DateTimeOffset> NextStart() => await Started.Reader.ReadAsync().AsTask().WaitAsync(s_hangGuard);

        public async Task FailCurrentAndWaitForBackoff()
        {
            Current.SetException(new InvalidOperationException("socket gone"));
            Assert.True(await Time.TimerMade.WaitAsync(s_hangGuard), "the supervisor never waited out a backoff");
        }

        /// <summary>Fails the service <paramref name="times"/> times at once after each start, advancing the clock by each backoff; returns when the last restart began.</summary>
        public async Task<DateTimeOffset> FailRepeatedly(int times)
        {
            DateTimeOffset started = await NextStart();
            Assert.Equal(s_t0, started);
            TimeSpan backoff = TimeSpan.FromSeconds(1);
            for (int i = 0; i < times; i++)
            {
                await FailCurrentAndWaitForBackoff();
                Time.Advance(backoff);
                DateTimeOffset next = await NextStart();
                Assert.Equal(started + backoff, next);
                started = next;
                backoff *= 2;
            }

            return started;
        }
    }

    /// <summary>A <see cref="FakeTimeProvider"/> that counts the timers made on it.</summary>
    private sealed class WatchedTime(DateTimeOffset start) : FakeTimeProvider(start)
    {
        public SemaphoreSlim TimerMade { get; } = new(0);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            ITimer timer = base.CreateTimer(callback, state, dueTime, period);
            TimerMade.Release();
            return timer;
        }
    }
}
