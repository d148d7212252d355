using System.Net;
using IpoeRouter.Engine.Tunnels;
using Xunit;

namespace IpoeRouter.Engine.Tests;

public sealed class TunnelHealthTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 0, 0, 0, TimeSpan.Zero);
    private static readonly IPAddress WellKnown = IPAddress.Parse("192.0.0.1");
    private static readonly IPAddress Aftr = IPAddress.Parse("2001:db8:aa::1");

    [Fact]
    public void Answer_MakesItUp_ThreeMissesDown_AnAnswerUpAgain()
    {
        var h = new TunnelHealth();
        Assert.Equal(TunnelHealthState.Unknown, h.State);

        Assert.True(h.Answered(WellKnown, TimeSpan.FromMilliseconds(3), T0));
        Assert.Equal((TunnelHealthState.Up, T0 + h.UpInterval), (h.State, h.NextAt));

        Assert.False(h.Failed(WellKnown, "no answer in 2 s", T0.AddSeconds(30)));
        Assert.False(h.Failed(WellKnown, "no answer in 2 s", T0.AddSeconds(35)));
        Assert.Equal(TunnelHealthState.Up, h.State);
        Assert.True(h.Failed(WellKnown, "no answer in 2 s", T0.AddSeconds(40)));
        Assert.Equal((TunnelHealthState.Down, T0.AddSeconds(40), T0.AddSeconds(45)), (h.State, h.Since, h.NextAt));
        Assert.Equal("no answer in 2 s", h.LastError);

        Assert.True(h.Answered(WellKnown, TimeSpan.FromMilliseconds(4), T0.AddSeconds(45)));
        Assert.Equal(TunnelHealthState.Up, h.State);
    }

    [Fact]
    public void Target_WellKnownUntilItFailsToEverAnswer_ThenTheAftr_ButADeclaredOneAlways()
    {
        var h = new TunnelHealth();
        Assert.Equal(WellKnown, h.Target(null, Aftr));
        for (int i = 0; i < TunnelHealth.FailuresForDown; i++)
        {
            h.Failed(WellKnown, "no answer", T0.AddSeconds(i));
        }

        Assert.Equal(Aftr, h.Target(null, Aftr));
        Assert.Equal(IPAddress.Parse("203.0.113.1"), h.Target(IPAddress.Parse("203.0.113.1"), Aftr));

        var answering = new TunnelHealth();
        answering.Answered(WellKnown, TimeSpan.FromMilliseconds(1), T0);
        for (int i = 0; i < 5; i++)
        {
            answering.Failed(WellKnown, "no answer", T0.AddSeconds(i + 1));
        }

        Assert.Equal(WellKnown, answering.Target(null, Aftr)); // it answered once: an outage is not a reason to give it up
    }

    [Fact]
    public void PathChanged_ProbesAtOnce_NoPath_IsUnknown()
    {
        var h = new TunnelHealth();
        h.Answered(WellKnown, TimeSpan.FromMilliseconds(1), T0);
        h.PathChanged(T0.AddSeconds(3));
        Assert.Equal(T0.AddSeconds(3), h.NextAt);
        Assert.True(h.NoPath(T0.AddSeconds(4)));
        Assert.Equal(TunnelHealthState.Unknown, h.State);
    }
}
