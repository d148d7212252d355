using System.Net;
using IpoeRouter.Protocols.Dns;
using IpoeRouter.Services.DsLite;
using Xunit;
using static IpoeRouter.Services.Tests.LoopbackDnsServer;

namespace IpoeRouter.Services.Tests;

/// <summary>
/// The AFTR name resolver against servers of the test's own on loopback (127.0.0.1, .2, … on one
/// port), with a 300 ms timeout: which replies it takes, which it ignores, the order it asks in, the
/// retry, TCP after truncation, and the text that says which server said what.
/// </summary>
public sealed class AftrNameResolverTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(300);
    private static readonly DnsName Aftr = DnsName.Parse("aftr.example");
    private static readonly IPAddress Good = IPAddress.Parse("2001:db8:aa::1");
    private static readonly IPAddress Second = IPAddress.Parse("2001:db8:aa::2");
    private static readonly IPAddress Bogus = IPAddress.Parse("2001:db8:bad::1");

    [Fact]
    public async Task Resolve_AaaaAnswer_GivesFirstAddressAllAddressesTtlAndServer()
    {
        using Servers s = Servers.Of((q, _) => [Answer(q, DnsRecord.Aaaa(Aftr, Good, 300), DnsRecord.Aaaa(Aftr, Second, 250))]);

        AftrAnswer a = await s.Resolver().ResolveAsync("aftr.example", s.Addresses, CancellationToken.None);

        Assert.True(a.Resolved);
        Assert.Equal(Good, a.Address);
        Assert.Equal(new[] { Good, Second }, a.Addresses);
        Assert.Equal(TimeSpan.FromSeconds(250), a.Ttl);
        Assert.Equal(s.Addresses[0], a.Server);
        Assert.Contains("2001:db8:aa::1", a.Detail, StringComparison.Ordinal);
        Assert.Contains("from 127.0.0.1", a.Detail, StringComparison.Ordinal);
        var query = Assert.Single(s[0].Queries);
        Assert.False(query.Tcp);
    }

    [Fact]
    public async Task Resolve_BogusRepliesBeforeTheRealOne_AreIgnored()
    {
        var logs = new List<string>();
        using Servers s = Servers.Of((q, _) =>
        [
            new Reply(Answer(q, DnsRecord.Aaaa(Aftr, Bogus, 300)).ToArray(), From.OtherPort),
            new Reply(Answer(q, DnsRecord.Aaaa(Aftr, Bogus, 300)).ToArray(), From.OtherAddress),
            Answer(q, DnsRecord.Aaaa(Aftr, Bogus, 300)) with { Id = (ushort)(q.Id + 1) },
            Answer(q, DnsRecord.Aaaa(Aftr, Bogus, 300)) with { Questions = [new DnsQuestion(DnsName.Parse("other.example"), DnsType.Aaaa)] },
            Answer(q, DnsRecord.Aaaa(Aftr, Bogus, 300)) with { Questions = [new DnsQuestion(Aftr, DnsType.A)] },
            q,
            new Reply([(byte)(q.Id >> 8), (byte)q.Id, 0x81, 0x80, 0, 1]),
            Answer(q, DnsRecord.Aaaa(Aftr, Good, 300)),
        ]);

        AftrAnswer a = await s.Resolver(log: logs.Add).ResolveAsync("aftr.example", s.Addresses, CancellationToken.None);

        Assert.Equal(Good, a.Address);
        Assert.Single(s[0].Queries);
        Assert.Contains(logs, l => l.Contains("malformed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Resolve_OnlyWrongIds_NoAnswerAfterOneRetryWithFreshIdAndPort()
    {
        using Servers s = Servers.Of((q, _) => [Answer(q, DnsRecord.Aaaa(Aftr, Bogus, 300)) with { Id = (ushort)(q.Id ^ 0x5a5a) }]);

        AftrAnswer a = await s.Resolver().ResolveAsync("aftr.example", s.Addresses, CancellationToken.None);

        Assert.False(a.Resolved);
        Assert.Empty(a.Addresses);
        Assert.Null(a.Server);
        Assert.Contains("127.0.0.1: no answer in 0.3 s (asked 2 times)", a.Detail, StringComparison.Ordinal);
        var queries = s[0].Queries;
        Assert.Equal(2, queries.Count);
        Assert.NotEqual(queries[0].Id, queries[1].Id);
        Assert.NotEqual(queries[0].SourcePort, queries[1].SourcePort);
    }

    [Fact]
    public async Task Resolve_TruncatedOverUdp_AsksAgainOverTcp()
    {
        using Servers s = Servers.Of((q, tcp) => tcp ? [Answer(q, DnsRecord.Aaaa(Aftr, Good, 60))] : [Truncated(q)]);

        AftrAnswer a = await s.Resolver().ResolveAsync("aftr.example", s.Addresses, CancellationToken.None);

        Assert.Equal(Good, a.Address);
        Assert.Equal(TimeSpan.FromSeconds(60), a.Ttl);
        Assert.Equal(new[] { false, true }, s[0].Queries.Select(q => q.Tcp));
    }

    [Fact]
    public async Task Resolve_DeadSilentAndNxdomainServersFirst_TheFourthAnswersAndTheDetailSaysWhatEachSaid()
    {
        using Servers s = Servers.Of(
            null,
            (_, _) => [],
            (q, _) => [Code(q, DnsResponseCode.NxDomain)],
            (q, _) => [Answer(q, DnsRecord.Aaaa(Aftr, Good, 300))]);

        AftrAnswer a = await s.Resolver().ResolveAsync("aftr.example", s.Addresses, CancellationToken.None);

        Assert.Equal(Good, a.Address);
        Assert.Equal(s.Addresses[3], a.Server);
        Assert.Contains("127.0.0.1: port " + s[1]!.Port + " unreachable", a.Detail, StringComparison.Ordinal);
        Assert.Contains("127.0.0.2: no answer in 0.3 s", a.Detail, StringComparison.Ordinal);
        Assert.Contains("127.0.0.3: NXDOMAIN", a.Detail, StringComparison.Ordinal);
        Assert.Single(s[1]!.Queries);
    }

    [Fact]
    public async Task Resolve_ServfailAndNxdomain_OnlyTheServfailIsAskedAgainAndBothAreReported()
    {
        using Servers s = Servers.Of((q, _) => [Code(q, DnsResponseCode.ServFail)], (q, _) => [Code(q, DnsResponseCode.NxDomain)]);

        AftrAnswer a = await s.Resolver().ResolveAsync("aftr.example", s.Addresses, CancellationToken.None);

        Assert.False(a.Resolved);
        Assert.Equal(s.Addresses[0], a.Server);
        Assert.Equal((2, 1), (s[0].Queries.Count, s[1].Queries.Count));
        Assert.EndsWith("127.0.0.1: SERVFAIL (asked 2 times); 127.0.0.2: NXDOMAIN", a.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_SameServerTwiceInTheList_IsAskedOnce()
    {
        using Servers s = Servers.Of((q, _) => [Code(q, DnsResponseCode.Refused)]);

        AftrAnswer a = await s.Resolver().ResolveAsync("aftr.example", [s.Addresses[0], s.Addresses[0]], CancellationToken.None);

        Assert.False(a.Resolved);
        Assert.Single(s[0].Queries);
        Assert.EndsWith("127.0.0.1: REFUSED", a.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_NoServers_SaysSoWithoutAsking()
    {
        AftrAnswer a = await new AftrNameResolver().ResolveAsync("aftr.example", [], CancellationToken.None);

        Assert.False(a.Resolved);
        Assert.Null(a.Server);
        Assert.Equal("aftr.example AAAA unresolved: no DNS server known on the WAN yet", a.Detail);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a..example")]
    public async Task Resolve_NotAName_IsAFailureWithoutAsking(string fqdn)
    {
        using Servers s = Servers.Of((q, _) => [Answer(q, DnsRecord.Aaaa(Aftr, Good, 300))]);

        AftrAnswer a = await s.Resolver().ResolveAsync(fqdn, s.Addresses, CancellationToken.None);

        Assert.False(a.Resolved);
        Assert.Empty(s[0].Queries);
    }

    [Fact]
    public async Task Resolve_CancelledWhileWaiting_Throws()
    {
        using Servers s = Servers.Of((_, _) => []);
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            s.Resolver(TimeSpan.FromSeconds(5)).ResolveAsync("aftr.example", s.Addresses, stop.Token));
    }

    /// <summary>The loopback servers of one test (null where an address has no listener), disposed together.</summary>
    private sealed class Servers(LoopbackDnsServer?[] servers) : IDisposable
    {
        public IPAddress[] Addresses { get; } = [.. servers.Select((_, i) => IPAddress.Parse($"127.0.0.{i + 1}"))];

        public LoopbackDnsServer this[int i] => servers[i]!;

        public static Servers Of(params Func<DnsMessage, bool, IEnumerable<Reply>>?[] handlers) => new(Start(handlers));

        public AftrNameResolver Resolver(TimeSpan? timeout = null, Action<string>? log = null) =>
            new(new AftrNameResolverOptions { Port = servers.First(s => s is not null)!.Port, Timeout = timeout ?? Timeout }, log);

        public void Dispose()
        {
            foreach (LoopbackDnsServer? s in servers)
            {
                s?.Dispose();
            }
        }
    }
}
