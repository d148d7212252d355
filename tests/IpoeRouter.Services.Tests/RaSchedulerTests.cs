using IpoeRouter.Services.RaSender;
using Xunit;

namespace IpoeRouter.Services.Tests;

/// <summary>RFC 4861 §6.2.4–6.2.6 timing, on chosen random draws.</summary>
public sealed class RaSchedulerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
    private static TimeSpan S(double s) => TimeSpan.FromSeconds(s);

    [Fact]
    public void FirstThreeAdvertisements_AreAtMost16sApart_ThenBetweenMinAndMax()
    {
        var s = new RaScheduler(() => 1.0); // always the longest interval the rules allow
        s.Start(T0);
        Assert.Equal(T0, s.NextAt);
        DateTimeOffset now = T0;
        var gaps = new List<TimeSpan>();
        for (int i = 0; i < 5; i++)
        {
            s.Sent(now);
            gaps.Add(s.NextAt!.Value - now);
            now = s.NextAt.Value;
        }

        Assert.Equal([S(16), S(16), S(16), S(600), S(600)], gaps);
    }

    [Fact]
    public void UnsolicitedInterval_IsDrawnBetweenMinAndMax()
    {
        var s = new RaScheduler(() => 0.0, new RaIntervals(S(100), S(33)));
        s.Start(T0);
        for (int i = 0; i < 4; i++)
        {
            s.Sent(T0);
        }

        Assert.Equal(T0 + S(33), s.NextAt);
    }

    [Fact]
    public void Solicitation_IsAnsweredWithinHalfASecond_UnlessAnRaWentOutInTheLast3s()
    {
        double draw = 0.5;
        var s = new RaScheduler(() => draw);
        s.Start(T0);
        s.Sent(T0); // next unsolicited at T0 + 16 s

        s.Solicited(T0 + S(10)); // last multicast RA 10 s ago: answer after the random delay (0.25 s)
        Assert.Equal(T0 + S(10.25), s.NextAt);

        s.Sent(T0 + S(10.25));
        s.Solicited(T0 + S(11)); // 0.75 s after the last one: 3 s after it plus the delay
        Assert.Equal(T0 + S(10.25 + 3 + 0.25), s.NextAt);
    }

    [Fact]
    public void Solicitation_DoesNotPostponeAnEarlierScheduledAdvertisement()
    {
        var s = new RaScheduler(() => 1.0, new RaIntervals(S(4), S(4)));
        s.Start(T0);
        s.Sent(T0); // next at T0 + 4 s
        s.Solicited(T0 + S(3.9)); // the answer would be at 3.9 + 0.5: the scheduled one comes first
        Assert.Equal(T0 + S(4), s.NextAt);
    }

    [Fact]
    public void InformationChange_GoesOutAtOnce_RateLimitPermitting_AndRestartsTheInitialBurst()
    {
        var s = new RaScheduler(() => 1.0);
        s.Start(T0);
        for (int i = 0; i < 3; i++)
        {
            s.Sent(T0 + S(16 * i));
        }

        s.Sent(T0 + S(48)); // now in the 600 s regime
        s.InformationChanged(T0 + S(100));
        Assert.Equal(T0 + S(100), s.NextAt);
        s.Sent(T0 + S(100));
        Assert.Equal(T0 + S(116), s.NextAt); // initial again: at most 16 s

        s.InformationChanged(T0 + S(101)); // 1 s after the last multicast RA: held to 3 s after it
        Assert.Equal(T0 + S(103), s.NextAt);
    }

    [Fact]
    public void Skipped_WaitsForAChangeOrASolicitation()
    {
        var s = new RaScheduler(() => 0.0);
        s.Start(T0);
        s.Skipped();
        Assert.Null(s.NextAt);
        s.InformationChanged(T0 + S(5)); // a skipped advertisement does not count for the rate limit
        Assert.Equal(T0 + S(5), s.NextAt);
    }
}
