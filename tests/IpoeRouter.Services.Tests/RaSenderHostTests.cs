using System.Net;
using System.Threading.Channels;
using IpoeRouter.Protocols.Icmp6;
using IpoeRouter.Protocols.Wire;
using IpoeRouter.Services.RaSender;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace IpoeRouter.Services.Tests;

/// <summary>The RA host on a fake clock with an in-memory transport (the lab tests run it on a raw socket).</summary>
public sealed class RaSenderHostTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
    private static readonly ByteString s_mac = new([0x02, 0, 0x0d, 0xb8, 0, 1]);

    [Fact]
    public async Task NothingToTell_NoRa_ThenAPrefix_AnRaAtOnce_ThenARenumbering_DeprecatesTheOld_AndStop_SendsTheFinalRa()
    {
        var time = new FakeTimeProvider(T0);
        var link = new RaQueue();
        var host = new RaSenderHost("lan0", link, time, () => 0.0, _ => { }, new RaIntervals(TimeSpan.FromSeconds(600), TimeSpan.FromSeconds(200)));
        using var stop = new CancellationTokenSource();
        host.Update(Lan());
        Task running = host.RunAsync(stop.Token);
        await Task.Delay(100);
        Assert.Equal(0, link.Sent.Reader.Count); // no prefix, no DNS: silent

        var first = new AnnouncedPrefix(IPAddress.Parse("2001:db8:1200:1::"), TimeSpan.FromSeconds(14400), TimeSpan.FromSeconds(12600), T0);
        host.Update(Lan(first));
        RouterAdvertisement ra = await link.NextAsync();
        Assert.Equal(IPAddress.Parse("2001:db8:1200:1::"), ra.Options.OfType<PrefixInformationOption>().Single().Prefix);

        host.Update(Lan(first with { Since = T0 + TimeSpan.FromSeconds(1) })); // a Renew refreshed the lifetimes: not news
        await Task.Delay(100);
        Assert.Equal(0, link.Sent.Reader.Count);

        time.Advance(TimeSpan.FromSeconds(5)); // past the 3 s rate limit
        var next = new AnnouncedPrefix(IPAddress.Parse("2001:db8:3400:1::"), TimeSpan.FromSeconds(14400), TimeSpan.FromSeconds(12600), time.GetUtcNow());
        host.Update(Lan([.. RaContent.Renumber([first], next, time.GetUtcNow())]));
        ra = await link.NextAsync();
        var pios = ra.Options.OfType<PrefixInformationOption>().ToList();
        Assert.Equal(0u, pios.Single(p => p.Prefix.Equals(first.Prefix)).PreferredLifetime);
        Assert.True(pios.Single(p => p.Prefix.Equals(next.Prefix)).PreferredLifetime > 0);

        link.Solicit(new RouterSolicitation([]).ToArray());
        time.Advance(TimeSpan.FromSeconds(4)); // the answer waits out the rate limit
        ra = await link.NextAsync();
        Assert.Equal(2700, ra.RouterLifetime);

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(5));
        ra = await link.NextAsync();
        Assert.Equal(0, ra.RouterLifetime);
        Assert.All(ra.Options.OfType<PrefixInformationOption>(), p => Assert.Equal(0u, p.PreferredLifetime));
        Assert.NotNull(host.LastSent);
    }

    [Fact]
    public async Task DelegationLost_OneRaWithRouterLifetimeZero_ThenSilence()
    {
        var time = new FakeTimeProvider(T0);
        var link = new RaQueue();
        var host = new RaSenderHost("lan0", link, time, () => 0.0, _ => { });
        using var stop = new CancellationTokenSource();
        var prefix = new AnnouncedPrefix(IPAddress.Parse("2001:db8:1200:1::"), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(8), T0);
        host.Update(Lan(prefix));
        Task running = host.RunAsync(stop.Token);
        Assert.Equal(2700, (await link.NextAsync()).RouterLifetime);

        time.Advance(TimeSpan.FromSeconds(11)); // the lease ran out: nothing left to announce
        host.Update(Lan());
        RouterAdvertisement last = await link.NextAsync();
        Assert.Equal(0, last.RouterLifetime);
        Assert.Empty(last.Options.OfType<PrefixInformationOption>());

        time.Advance(TimeSpan.FromSeconds(3600)); // an hour of unsolicited intervals: nothing more
        await Task.Delay(100);
        Assert.Equal(0, link.Sent.Reader.Count);
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Solicitation_WithAHopLimitOtherThan255_OrMalformed_IsIgnored_AndLoggedOnceAMinute()
    {
        var time = new FakeTimeProvider(T0);
        var link = new RaQueue();
        var log = new List<string>();
        var host = new RaSenderHost("lan0", link, time, () => 0.0, line => { lock (log) { log.Add(line); } });
        using var stop = new CancellationTokenSource();
        host.Update(Lan(new AnnouncedPrefix(IPAddress.Parse("2001:db8:1200:1::"), TimeSpan.FromSeconds(14400), TimeSpan.FromSeconds(12600), T0)));
        Task running = host.RunAsync(stop.Token);
        await link.NextAsync(); // the first unsolicited RA, at T0
        time.Advance(TimeSpan.FromSeconds(5));
        await link.NextAsync(); // the news of the announcement, 3 s later at the earliest; the next is due 16 s after it

        byte[] rs = new RouterSolicitation([]).ToArray();
        foreach (int hopLimit in new[] { 64, 254, 1, 64 })
        {
            link.Solicit(rs, hopLimit); // routed here from off link, or forged
        }

        link.Solicit([133, 0, 0]); // truncated: malformed
        link.Solicit([133, 0, 0, 0, 0]);
        await WaitUntil(() => host.SolicitationsIgnored == 6);
        time.Advance(TimeSpan.FromSeconds(4)); // an answer would have been due at once
        await Task.Delay(100);
        Assert.Equal(0, link.Sent.Reader.Count);

        link.Solicit(rs); // a real one is answered at once
        RouterAdvertisement answer = await link.NextAsync();
        Assert.Equal(2700, answer.RouterLifetime);
        lock (log)
        {
            Assert.Single(log, l => l.Contains("hop limit 64", StringComparison.Ordinal) && l.Contains("fe80::5054:ff:fe00:1", StringComparison.Ordinal));
            Assert.Single(log, l => l.Contains("malformed Router Solicitation", StringComparison.Ordinal));
            Assert.Equal(2, log.Count);
        }

        time.Advance(TimeSpan.FromMinutes(1)); // a minute later the next one is logged, with the count held back
        link.Solicit(rs, 64);
        await WaitUntil(() => host.SolicitationsIgnored == 7);
        lock (log)
        {
            Assert.Contains("3 suppressed", log[^1], StringComparison.Ordinal);
        }

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(5));
    }

    private static async Task WaitUntil(Func<bool> done)
    {
        for (DateTime until = DateTime.UtcNow.AddSeconds(5); !done(); await Task.Delay(10))
        {
            Assert.True(DateTime.UtcNow < until, "timed out");
        }
    }

    private static LanAnnouncement Lan(params AnnouncedPrefix[] prefixes) =>
        new(prefixes, prefixes.Length == 0 ? [] : [IPAddress.Parse("2001:db8:1200:1::1")], ["home.example"], 1500, StatelessDhcp: true, s_mac);

    private sealed class RaQueue : IRaTransport
    {
        private readonly Channel<(byte[] Packet, int HopLimit)> _incoming = Channel.CreateUnbounded<(byte[], int)>();

        public Channel<byte[]> Sent { get; } = Channel.CreateUnbounded<byte[]>();

        public void Solicit(byte[] packet, int hopLimit = 255) => _incoming.Writer.TryWrite((packet, hopLimit));

        public async Task<RouterAdvertisement> NextAsync() =>
            RouterAdvertisement.Parse(await Sent.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5)));

        public ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
        {
            Sent.Writer.TryWrite(message.ToArray());
            return ValueTask.CompletedTask;
        }

        public async ValueTask<Hosting.Ipv6Datagram> ReceiveAsync(byte[] buffer, CancellationToken cancellationToken)
        {
            (byte[] packet, int hopLimit) = await _incoming.Reader.ReadAsync(cancellationToken);
            packet.CopyTo(buffer, 0);
            return new Hosting.Ipv6Datagram(packet.Length, hopLimit, IPAddress.Parse("fe80::5054:ff:fe00:1"));
        }

        public void Dispose()
        {
        }
    }
}
