using IpoeRouter.Services.Dhcp6PdClient;
using Xunit;

namespace IpoeRouter.Services.Tests;

public sealed class RetransmissionTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void Solicit_WithoutJitter_DoublesUpToSolMaxRt()
    {
        var r = new Retransmission(Dhcp6Timers.Solicit, () => 0.5); // RAND = 0
        var waits = Enumerable.Range(0, 14).Select(_ => r.Next()!.Value).ToList();

        Assert.Equal([S(1), S(2), S(4), S(8), S(16), S(32), S(64), S(128), S(256), S(512), S(1024), S(2048), S(3600), S(3600)], waits);
    }

    [Fact]
    public void Solicit_FirstTimeout_IsNeverBelowIrt()
    {
        var r = new Retransmission(Dhcp6Timers.Solicit, () => 0.0); // RAND = -0.1, taken positive for the first Solicit
        Assert.Equal(S(1.1), r.Next());
    }

    [Fact]
    public void Request_StopsAfterTenTransmissions()
    {
        var r = new Retransmission(Dhcp6Timers.Request, () => 0.5);
        var waits = new List<TimeSpan>();
        while (r.Next() is { } w)
        {
            waits.Add(w);
        }

        Assert.Equal(10, waits.Count);
        Assert.Equal([S(1), S(2), S(4), S(8), S(16), S(30), S(30), S(30), S(30), S(30)], waits);
    }

    [Fact]
    public void Renew_WithMaxDurationUntilT2_CutsTheLastWaitAndEnds()
    {
        var r = new Retransmission(Dhcp6Timers.Renew with { MaxDuration = S(45) }, () => 0.5);
        Assert.Equal([S(10), S(20), S(15)], [r.Next()!.Value, r.Next()!.Value, r.Next()!.Value]);
        Assert.Null(r.Next());
    }

    [Fact]
    public void Jitter_StaysWithinTenPercent()
    {
        var random = new Random(1);
        var r = new Retransmission(Dhcp6Timers.Renew, random.NextDouble);
        TimeSpan previous = r.Next()!.Value;
        Assert.InRange(previous.TotalSeconds, 9, 11);
        for (int i = 0; i < 20; i++)
        {
            TimeSpan next = r.Next()!.Value;
            Assert.True(next.TotalSeconds <= 660 + 1e-9, $"{next} above MRT + 10%");
            Assert.True(next.TotalSeconds >= Math.Min(1.9 * previous.TotalSeconds, 540) - 1e-9, $"{next} after {previous}");
            previous = next;
        }
    }
}
