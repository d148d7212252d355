using IpoeRouter.Services.Hosting;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace IpoeRouter.Services.Tests;

/// <summary>One line per kind per minute; the next line says how many were held back.</summary>
public sealed class LogRateLimiterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Write_AFloodOfOneKind_OneLineAMinute_TheNextSaysHowManyWereSuppressed()
    {
        var time = new FakeTimeProvider(T0);
        var lines = new List<string>();
        var limiter = new LogRateLimiter(lines.Add, time);

        for (int i = 0; i < 100; i++)
        {
            limiter.Write("malformed", $"dropped datagram {i}");
            time.Advance(TimeSpan.FromMilliseconds(500)); // 50 s in all
        }

        Assert.Equal(["dropped datagram 0 (at most one such line a minute)"], lines);
        Assert.Equal(99, limiter.Suppressed);

        time.Advance(TimeSpan.FromSeconds(10)); // a minute after the first line
        limiter.Write("malformed", "dropped datagram 100");

        Assert.Equal("dropped datagram 100 (at most one such line a minute; 99 suppressed since the last)", lines[^1]);
        Assert.Equal(0, limiter.Suppressed);
    }

    [Fact]
    public void Write_KindsAreCountedApart()
    {
        var time = new FakeTimeProvider(T0);
        var lines = new List<string>();
        var limiter = new LogRateLimiter(lines.Add, time);

        limiter.Write("malformed", "a");
        limiter.Write("hop-limit", "b");
        limiter.Write("malformed", "c");
        limiter.Write("hop-limit", "d");

        Assert.Equal(["a (at most one such line a minute)", "b (at most one such line a minute)"], lines);
        Assert.Equal(2, limiter.Suppressed);
    }

    [Fact]
    public void Write_WithAGivenTime_UsesItNotTheClock()
    {
        var lines = new List<string>();
        var limiter = new LogRateLimiter(lines.Add, new FakeTimeProvider(T0), TimeSpan.FromSeconds(10));

        limiter.Write("x", T0, "one");
        limiter.Write("x", T0.AddSeconds(9), "two");
        limiter.Write("x", T0.AddSeconds(10), "three");

        Assert.Equal(["one (at most one such line per 10 s)", "three (at most one such line per 10 s; 1 suppressed since the last)"], lines);
    }
}
