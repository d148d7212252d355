using System.Net;
using IpoeRouter.Protocols.Dns;
using IpoeRouter.Services.DnsForwarder;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace IpoeRouter.Services.Tests;

/// <summary>The forwarder's decisions on virtual time: cache lifetimes (positive, negative, SERVFAIL), ageing, eviction, IDs.</summary>
public sealed class DnsResolverCoreTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private DnsResolverCore Core(int entries = 100) => new(new LocalNames("home.arpa"), _time, entries);

    internal static DnsMessage Query(string name, DnsType type = DnsType.A, ushort id = 7) =>
        new() { Id = id, Flags = DnsMessage.QueryFlags(), Questions = [new DnsQuestion(DnsName.Parse(name), type)] };

    private static DnsMessage Upstream(DnsMessage query, DnsResponseCode code, DnsRecord[] answers, DnsRecord[]? authorities = null) =>
        new()
        {
            Id = 0x9999,
            Flags = DnsMessage.ResponseFlags(query, code, authoritative: false),
            Questions = query.Questions,
            Answers = answers,
            Authorities = authorities ?? [],
        };

    private static DnsRecord A(string name, uint ttl, string address = "192.0.2.1") => DnsRecord.A(DnsName.Parse(name), IPAddress.Parse(address), ttl);

    private static DnsRecord Soa(uint ttl, uint minimum) =>
        new(DnsName.Parse("example.com"), DnsType.Soa, DnsClass.In, ttl,
            new DnsSoaData(DnsName.Parse("ns.example.com"), DnsName.Parse("hostmaster.example.com"), 1, 7200, 3600, 604800, minimum));

    [Fact]
    public void FirstQuery_IsForwarded_SecondComesFromCacheWithTheClientsIdAndAgedTtl()
    {
        DnsResolverCore core = Core();
        DnsMessage q = Query("www.example.com");
        Assert.Equal(DnsDecisionKind.Forward, core.Decide(q).Kind);

        DnsMessage toClient = core.Complete(q, Upstream(q, DnsResponseCode.NoError, [A("www.example.com", 300), A("www.example.com", 100, "192.0.2.2")]));
        Assert.Equal(7, toClient.Id);

        _time.Advance(TimeSpan.FromSeconds(40));
        DnsDecision again = core.Decide(Query("WWW.example.com", id: 8));
        Assert.Equal(DnsDecisionKind.Answer, again.Kind);
        Assert.Equal(8, again.Response!.Id);
        Assert.Equal("WWW.example.com", again.Response.Questions[0].Name.ToString());
        Assert.Equal([260u, 60u], again.Response.Answers.Select(a => a.Ttl));
        Assert.Equal(new DnsForwarderCounters(2, 0, 1, 1, 0, 0), core.Counters);
    }

    [Fact]
    public void PositiveAnswer_ExpiresAtItsLeastTtl()
    {
        DnsResolverCore core = Core();
        DnsMessage q = Query("www.example.com");
        core.Complete(q, Upstream(q, DnsResponseCode.NoError, [A("www.example.com", 300), A("www.example.com", 100, "192.0.2.2")]));

        _time.Advance(TimeSpan.FromSeconds(99));
        Assert.Equal(DnsDecisionKind.Answer, core.Decide(q).Kind);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(DnsDecisionKind.Forward, core.Decide(q).Kind);
    }

    [Fact]
    public void NxDomain_IsCachedForTheLesserOfSoaTtlAndMinimum()
    {
        DnsResolverCore core = Core();
        DnsMessage q = Query("nope.example.com");
        core.Complete(q, Upstream(q, DnsResponseCode.NxDomain, [], [Soa(900, 300)]));

        _time.Advance(TimeSpan.FromSeconds(299));
        DnsMessage cached = core.Decide(q).Response!;
        Assert.Equal(DnsResponseCode.NxDomain, cached.ResponseCode);
        Assert.Equal(601u, Assert.Single(cached.Authorities).Ttl);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(DnsDecisionKind.Forward, core.Decide(q).Kind);
    }

    [Fact]
    public void NoData_IsCachedByTheSoaTtlWhenLower()
    {
        DnsResolverCore core = Core();
        DnsMessage q = Query("example.com", DnsType.Aaaa);
        core.Complete(q, Upstream(q, DnsResponseCode.NoError, [], [Soa(60, 3600)]));

        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(DnsDecisionKind.Answer, core.Decide(q).Kind);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(DnsDecisionKind.Forward, core.Decide(q).Kind);
    }

    [Fact]
    public void NegativeWithoutSoa_IsNotCached()
    {
        DnsResolverCore core = Core();
        DnsMessage q = Query("nope.example.com");
        core.Complete(q, Upstream(q, DnsResponseCode.NxDomain, []));
        Assert.Equal(DnsDecisionKind.Forward, core.Decide(q).Kind);
    }

    [Fact]
    public void ServFail_IsCachedForFiveSecondsOnly()
    {
        DnsResolverCore core = Core();
        DnsMessage q = Query("broken.example.com");
        core.Complete(q, Upstream(q, DnsResponseCode.ServFail, []));

        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(DnsResponseCode.ServFail, core.Decide(q).Response!.ResponseCode);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(DnsDecisionKind.Forward, core.Decide(q).Kind);
    }

    [Fact]
    public void Truncated_AndRefused_AreNotCached()
    {
        DnsResolverCore core = Core();
        DnsMessage q = Query("big.example.com");
        DnsMessage truncated = Upstream(q, DnsResponseCode.NoError, [A("big.example.com", 300)]);
        core.Complete(q, truncated with { Flags = DnsMessage.WithTruncated(truncated.Flags) });
        Assert.Equal(DnsDecisionKind.Forward, core.Decide(q).Kind);
        core.Complete(q, Upstream(q, DnsResponseCode.Refused, []));
        Assert.Equal(DnsDecisionKind.Forward, core.Decide(q).Kind);
    }

    [Fact]
    public void Ttl_IsCappedAtADay()
    {
        DnsResolverCore core = Core();
        DnsMessage q = Query("long.example.com");
        core.Complete(q, Upstream(q, DnsResponseCode.NoError, [A("long.example.com", 7 * 86400)]));
        _time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(DnsDecisionKind.Forward, core.Decide(q).Kind);
    }

    [Fact]
    public void Cache_EvictsTheLeastRecentlyUsed()
    {
        DnsResolverCore core = Core(entries: 2);
        DnsMessage a = Query("a.example.com"), b = Query("b.example.com"), c = Query("c.example.com");
        core.Complete(a, Upstream(a, DnsResponseCode.NoError, [A("a.example.com", 300)]));
        core.Complete(b, Upstream(b, DnsResponseCode.NoError, [A("b.example.com", 300)]));
        Assert.Equal(DnsDecisionKind.Answer, core.Decide(a).Kind); // a is now the most recent
        core.Complete(c, Upstream(c, DnsResponseCode.NoError, [A("c.example.com", 300)]));

        Assert.Equal(2, core.Cache.Count);
        Assert.Equal(DnsDecisionKind.Answer, core.Decide(a).Kind);
        Assert.Equal(DnsDecisionKind.Forward, core.Decide(b).Kind);
        Assert.Equal(DnsDecisionKind.Answer, core.Decide(c).Kind);
    }

    [Fact]
    public void CachedAnswer_CarriesOurOptOnlyWhenTheClientSentOne()
    {
        DnsResolverCore core = Core();
        DnsMessage q = Query("www.example.com");
        var edns = new DnsRecord(DnsName.Root, DnsType.Opt, (DnsClass)4096, 0x8000, new DnsRawData(default));
        DnsMessage upstream = Upstream(q, DnsResponseCode.NoError, [A("www.example.com", 300)]) with { Additionals = [edns] };
        core.Complete(q with { Additionals = [edns] }, upstream);

        Assert.Empty(core.Decide(q).Response!.Additionals);
        DnsRecord opt = Assert.Single(core.Decide(q with { Additionals = [edns] }).Response!.Additionals);
        Assert.Equal(((DnsClass)DnsResolverCore.EdnsPayloadSize, 0x8000u), (opt.Class, opt.Ttl));
    }

    [Fact]
    public void Garbage_WithAHeader_GetsFormErr_AndResponsesAreDropped()
    {
        DnsResolverCore core = Core();
        DnsDecision formErr = core.Decide(Convert.FromHexString("1234010000010000000000000761"));
        Assert.Equal(DnsResponseCode.FormErr, formErr.Response!.ResponseCode);
        Assert.Equal(0x1234, formErr.Response.Id);
        Assert.Equal(DnsDecisionKind.Drop, core.Decide(Convert.FromHexString("0102")).Kind);
        DnsMessage q = Query("www.example.com");
        Assert.Equal(DnsDecisionKind.Drop, core.Decide(Upstream(q, DnsResponseCode.NoError, [])).Kind);
        Assert.Equal(3, core.Counters.Dropped);
    }

    [Fact]
    public void NonQueryOpcode_GetsNotImp()
    {
        DnsMessage update = Query("example.com") with { Flags = (ushort)((int)DnsOpcode.Update << 11) };
        Assert.Equal(DnsResponseCode.NotImp, Core().Decide(update).Response!.ResponseCode);
    }

    [Fact]
    public void Fail_IsServFailAndCounted()
    {
        DnsResolverCore core = Core();
        DnsMessage failed = core.Fail(Query("www.example.com"));
        Assert.Equal((DnsResponseCode.ServFail, true, (ushort)7), (failed.ResponseCode, failed.IsResponse, failed.Id));
        Assert.Equal(1, core.Counters.Failures);
    }
}
