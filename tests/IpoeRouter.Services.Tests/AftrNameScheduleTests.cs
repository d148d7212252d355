using System.Net;
using IpoeRouter.Services.DsLite;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace IpoeRouter.Services.Tests;

/// <summary>The AFTR name schedule on a fake clock: when it is due, what it keeps, and what each input changes.</summary>
public sealed class AftrNameScheduleTests
{
    private static readonly IPAddress Dns1 = IPAddress.Parse("2001:db8::53");
    private static readonly IPAddress Dns2 = IPAddress.Parse("2001:db8::54");
    private static readonly IPAddress Aftr1 = IPAddress.Parse("2001:db8:aa::1");
    private static readonly IPAddress Aftr2 = IPAddress.Parse("2001:db8:aa::2");

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 4, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly AftrNameSchedule _s = new();

    private DateTimeOffset Now => _clock.GetUtcNow();

    [Fact]
    public void NoName_NeverDue()
    {
        _s.SetServers([Dns1], Now);

        Assert.Null(_s.NextAt);
        Assert.Null(_s.TakeDue(Now));
        Assert.Equal("no AFTR name", _s.Detail);
    }

    [Fact]
    public void NameWithoutServers_NotDueUntilTheyArrive_ThenDueAtOnce()
    {
        _s.SetName("aftr.example", Now);
        Assert.Null(_s.NextAt);
        Assert.Contains("no DNS server known on the WAN yet", _s.Detail, StringComparison.Ordinal);

        _clock.Advance(TimeSpan.FromMinutes(3));
        Assert.True(_s.SetServers([Dns1, Dns2], Now));

        Assert.Equal(Now, _s.NextAt);
        AftrNameQuery q = Assert.IsType<AftrNameQuery>(_s.TakeDue(Now));
        Assert.Equal("aftr.example", q.Name);
        Assert.Equal(new[] { Dns1, Dns2 }, q.Servers);
    }

    [Fact]
    public void QueryOut_NotDueAgainUntilCompleted()
    {
        Ready();
        Assert.NotNull(_s.TakeDue(Now));

        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Null(_s.NextAt);
        Assert.False(_s.IsDue(Now));
        Assert.Null(_s.TakeDue(Now));
    }

    [Fact]
    public void Answer_UsedAndAskedAgainAtItsTtl_ThenConfirmedOrChanged()
    {
        Ready();

        Assert.Equal(AftrNameOutcome.Changed, _s.Complete(_s.TakeDue(Now)!, Found(Aftr1, 300), Now));
        Assert.Equal(Aftr1, _s.Address);
        Assert.Equal(Now + TimeSpan.FromSeconds(300), _s.NextAt);

        _clock.Advance(TimeSpan.FromSeconds(299));
        Assert.False(_s.IsDue(Now));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(_s.IsDue(Now));
        Assert.Equal(AftrNameOutcome.Confirmed, _s.Complete(_s.TakeDue(Now)!, Found(Aftr1, 600), Now));
        Assert.Equal(Now + TimeSpan.FromSeconds(600), _s.NextAt);

        _clock.Advance(TimeSpan.FromSeconds(600));
        Assert.Equal(AftrNameOutcome.Changed, _s.Complete(_s.TakeDue(Now)!, Found(Aftr2, 600), Now));
        Assert.Equal(Aftr2, _s.Address);
        Assert.Equal("found", _s.Detail);
    }

    [Theory]
    [InlineData(0, 30)]
    [InlineData(29, 30)]
    [InlineData(31, 31)]
    [InlineData(86_400, 86_400)]
    [InlineData(604_800, 86_400)]
    public void AnswerTtl_ClampedToHalfAMinuteAndADay(int ttl, int refresh)
    {
        Ready();

        _s.Complete(_s.TakeDue(Now)!, Found(Aftr1, ttl), Now);

        Assert.Equal(Now + TimeSpan.FromSeconds(refresh), _s.NextAt);
    }

    [Fact]
    public void Failures_RetryAfter2sDoublingToFiveMinutes_AndAnAnswerStartsOver()
    {
        Ready();
        int[] waits = [2, 4, 8, 16, 32, 64, 128, 256, 300, 300];
        foreach (int wait in waits)
        {
            Assert.Equal(AftrNameOutcome.Failed, _s.Complete(_s.TakeDue(Now)!, AftrAnswer.Unresolved("nope"), Now));
            Assert.Equal(Now + TimeSpan.FromSeconds(wait), _s.NextAt);
            _clock.Advance(TimeSpan.FromSeconds(wait));
        }

        Assert.Equal(waits.Length, _s.Failures);
        _s.Complete(_s.TakeDue(Now)!, Found(Aftr1, 300), Now);
        Assert.Equal(0, _s.Failures);
        _clock.Advance(TimeSpan.FromSeconds(300));
        _s.Complete(_s.TakeDue(Now)!, AftrAnswer.Unresolved("nope"), Now);
        Assert.Equal(Now + AftrNameSchedule.FirstRetry, _s.NextAt);
    }

    [Fact]
    public void FailuresAfterAnAnswer_KeepTheAddressPastItsTtl_AndSaySo()
    {
        Ready();
        _s.Complete(_s.TakeDue(Now)!, Found(Aftr1, 60), Now);
        DateTimeOffset answeredAt = Now;

        for (int i = 0; i < 30; i++)
        {
            _clock.Advance(_s.NextAt!.Value - Now);
            Assert.Equal(AftrNameOutcome.Failed, _s.Complete(_s.TakeDue(Now)!, AftrAnswer.Unresolved("aftr.example AAAA unresolved: 2001:db8::53: SERVFAIL"), Now));
        }

        Assert.True(Now - answeredAt > TimeSpan.FromHours(1));
        Assert.Equal(Aftr1, _s.Address);
        Assert.Equal(answeredAt, _s.AnsweredAt);
        Assert.True(_s.IsStale(Now));
        Assert.StartsWith("aftr.example AAAA unresolved: 2001:db8::53: SERVFAIL; keeping 2001:db8:aa::1", _s.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void IsStale_OnlyOnceTheTtlHasPassed()
    {
        Ready();
        _s.Complete(_s.TakeDue(Now)!, Found(Aftr1, 60), Now);

        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.False(_s.IsStale(Now));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(_s.IsStale(Now));
    }

    [Fact]
    public void NewName_DropsTheAddressIsDueAtOnceAndTheOldQueryIsStale()
    {
        Ready();
        _s.Complete(_s.TakeDue(Now)!, Found(Aftr1, 3600), Now);
        _clock.Advance(TimeSpan.FromSeconds(3600));
        AftrNameQuery old = _s.TakeDue(Now)!;

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(_s.SetName("gw.example", Now));

        Assert.Null(_s.Address);
        Assert.Equal(Now, _s.NextAt);
        Assert.Equal(AftrNameOutcome.Stale, _s.Complete(old, Found(Aftr1, 300), Now));
        Assert.Null(_s.Address);
        AftrNameQuery q = _s.TakeDue(Now)!;
        Assert.Equal("gw.example", q.Name);
        Assert.Equal(AftrNameOutcome.Changed, _s.Complete(q, Found(Aftr2, 300), Now));
    }

    [Theory]
    [InlineData("aftr.example.")]
    [InlineData("AFTR.Example")]
    [InlineData(" aftr.example ")]
    public void SameNameWrittenOtherwise_ChangesNothing(string name)
    {
        Ready();
        _s.Complete(_s.TakeDue(Now)!, Found(Aftr1, 300), Now);

        Assert.False(_s.SetName(name, Now));

        Assert.Equal(Aftr1, _s.Address);
        Assert.Equal(Now + TimeSpan.FromSeconds(300), _s.NextAt);
    }

    [Fact]
    public void NewServers_KeepTheAddressAreAskedAtOnceAndRestartTheBackoff()
    {
        Ready();
        _s.Complete(_s.TakeDue(Now)!, Found(Aftr1, 3600), Now);
        _clock.Advance(TimeSpan.FromSeconds(3600));
        for (int i = 0; i < 4; i++)
        {
            _s.Complete(_s.TakeDue(Now)!, AftrAnswer.Unresolved("nope"), Now);
            _clock.Advance(_s.NextAt!.Value - Now);
        }

        AftrNameQuery old = _s.TakeDue(Now)!;
        Assert.False(_s.SetServers([Dns1], Now));
        Assert.True(_s.SetServers([Dns2, Dns1], Now));

        Assert.Equal(Aftr1, _s.Address);
        Assert.Equal(0, _s.Failures);
        Assert.Equal(Now, _s.NextAt);
        Assert.Equal(AftrNameOutcome.Stale, _s.Complete(old, Found(Aftr2, 300), Now));
        Assert.Equal(Aftr1, _s.Address);
        AftrNameQuery q = _s.TakeDue(Now)!;
        Assert.Equal(new[] { Dns2, Dns1 }, q.Servers);
        _s.Complete(q, AftrAnswer.Unresolved("nope"), Now);
        Assert.Equal(Now + AftrNameSchedule.FirstRetry, _s.NextAt);
    }

    [Fact]
    public void ServersGone_KeepTheAddressAndStopAsking()
    {
        Ready();
        _s.Complete(_s.TakeDue(Now)!, Found(Aftr1, 300), Now);

        Assert.True(_s.SetServers([], Now));

        Assert.Equal(Aftr1, _s.Address);
        Assert.Null(_s.NextAt);
        Assert.Contains("no DNS server known on the WAN yet; keeping 2001:db8:aa::1", _s.Detail, StringComparison.Ordinal);
        _s.SetServers([Dns1], Now);
        Assert.Equal("found", _s.Detail);
    }

    [Fact]
    public void Backoff_DoublesFromTwoSecondsAndStaysAtFiveMinutes()
    {
        Assert.Equal(TimeSpan.FromSeconds(2), AftrNameSchedule.Backoff(1));
        Assert.Equal(TimeSpan.FromSeconds(256), AftrNameSchedule.Backoff(8));
        Assert.Equal(TimeSpan.FromMinutes(5), AftrNameSchedule.Backoff(9));
        Assert.Equal(TimeSpan.FromMinutes(5), AftrNameSchedule.Backoff(int.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => AftrNameSchedule.Backoff(0));
    }

    private void Ready()
    {
        _s.SetName("aftr.example", Now);
        _s.SetServers([Dns1], Now);
        Assert.True(_s.IsDue(Now));
    }

    private static AftrAnswer Found(IPAddress address, int ttl) => new(address, [address], TimeSpan.FromSeconds(ttl), "found", Dns1);
}
