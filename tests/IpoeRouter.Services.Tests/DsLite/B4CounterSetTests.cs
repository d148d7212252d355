using IpoeRouter.Services.DsLite;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace IpoeRouter.Services.Tests.DsLite;

public sealed class B4CounterSetTests
{
    private const string Send = "sendmmsg(IPIP to the AFTR)";

    [Fact]
    public void Snapshot_CarriesEachCounter_TooBigSumsBothDirections_DroppedSumsEveryReason()
    {
        var set = new B4CounterSet();
        set.Up.Packets = 10;
        set.Up.Bytes = 1000;
        set.Up.NoPath = 1;
        set.Up.NotIpv4 = 2;
        set.Up.TooBig = 3;
        set.Up.SendError = 4;
        set.Down.Packets = 20;
        set.Down.Bytes = 2000;
        set.Down.NotIpv4 = 5;
        set.Down.TooBig = 6;
        set.Down.WrongSource = 7;
        set.Down.TunWriteError = 8;
        set.Down.TunWrites = 9;

        B4Counters c = set.Snapshot(tunReads: 11);

        Assert.Equal((10L, 1000L, 20L, 2000L), (c.PacketsToAftr, c.BytesToAftr, c.PacketsFromAftr, c.BytesFromAftr));
        Assert.Equal((1L, 2L, 5L, 9L, 4L, 7L, 8L), (c.DroppedNoPath, c.DroppedNotIpv4FromTun, c.DroppedNotIpv4FromAftr, c.DroppedTooBig, c.DroppedSendError, c.DroppedWrongSource, c.DroppedTunWriteError));
        Assert.Equal(1 + 2 + 5 + 9 + 4 + 7 + 8, c.Dropped);
        Assert.Equal((11L, 9L), (c.TunReads, c.TunWrites));
        Assert.Null(c.LastError);
        Assert.Null(c.LastErrorAt);
    }

    [Fact]
    public void RecordError_ARepeatRefreshesOnlyTheTime_AnotherErrorReplacesTheText()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero));
        var set = new B4CounterSet();

        set.RecordError(Send, 101, time);
        B4Counters first = set.Snapshot();
        Assert.Equal("sendmmsg(IPIP to the AFTR) failed: ENETUNREACH (101)", first.LastError);
        Assert.Equal(time.GetUtcNow(), first.LastErrorAt);

        time.Advance(TimeSpan.FromSeconds(3));
        set.RecordError(Send, 101, time);
        B4Counters repeat = set.Snapshot();
        Assert.Same(first.LastError, repeat.LastError); // the same text object: a repeat allocates nothing
        Assert.Equal(time.GetUtcNow(), repeat.LastErrorAt);

        set.RecordError(Send, 90, time);
        Assert.Equal("sendmmsg(IPIP to the AFTR) failed: EMSGSIZE (90)", set.Snapshot().LastError);
        set.RecordError("write(TUN)", 90, time);
        Assert.Equal("write(TUN) failed: EMSGSIZE (90)", set.Snapshot().LastError);
    }
}
