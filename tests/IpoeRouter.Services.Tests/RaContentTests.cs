using System.Net;
using IpoeRouter.Protocols.Icmp6;
using IpoeRouter.Protocols.Wire;
using IpoeRouter.Services.RaSender;
using Xunit;

namespace IpoeRouter.Services.Tests;

public sealed class RaContentTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly ByteString s_mac = new([0x00, 0x0d, 0xb9, 0x12, 0x34, 0x56]);

    private static AnnouncedPrefix Prefix(string p, DateTimeOffset since) => new(IPAddress.Parse(p), TimeSpan.FromSeconds(14400), TimeSpan.FromSeconds(12600), since);

    private static LanAnnouncement Lan(IReadOnlyList<AnnouncedPrefix> prefixes) =>
        new(prefixes, [IPAddress.Parse("2001:db8:0:11::1")], ["home.arpa"], 1500, StatelessDhcp: true, s_mac);

    private static List<PrefixInformationOption> Pios(RouterAdvertisement ra) => ra.Options.OfType<PrefixInformationOption>().ToList();

    [Fact]
    public void CurrentPrefix_IsAnnouncedWithItsRemainingLifetimes_CappedAtTheRfc9096Limits_OFlag_Rdnss_Dnssl_Mtu()
    {
        RouterAdvertisement ra = RaContent.Build(Lan([Prefix("2001:db8:0:11::", s_t0)]), s_t0.AddSeconds(600));

        PrefixInformationOption pio = Assert.Single(Pios(ra));
        Assert.Equal((true, true, 5400u, 2700u), (pio.OnLink, pio.Autonomous, pio.ValidLifetime, pio.PreferredLifetime)); // 13800/12000 left, capped
        Assert.True(ra.Other);
        Assert.False(ra.Managed);
        Assert.Equal(2700, ra.RouterLifetime); // RFC 9096 §3.4
        Assert.Equal(2700u, ra.Options.OfType<RdnssOption>().Single().Lifetime);
        Assert.Equal([IPAddress.Parse("2001:db8:0:11::1")], ra.Options.OfType<RdnssOption>().Single().Servers);
        Assert.Equal(["home.arpa"], ra.Options.OfType<DnsslOption>().Single().Domains);
        Assert.Equal(1500u, ra.Options.OfType<MtuOption>().Single().Mtu);
        Assert.Equal(Convert.ToHexString(ra.ToArray()), Convert.ToHexString(RouterAdvertisement.Parse(ra.ToArray()).ToArray()));
    }

    [Fact]
    public void Renumbered_OldPrefixIsDeprecatedAndRunsDown_ThenGone()
    {
        var state = RaContent.Renumber([Prefix("2001:db8:0:11::", s_t0)], Prefix("2001:db8:0:21::", s_t0.AddHours(1)), s_t0.AddHours(1));

        var right = Pios(RaContent.Build(Lan(state), s_t0.AddHours(1)));
        Assert.Equal(2, right.Count);
        PrefixInformationOption old = right.Single(p => p.Prefix.Equals(IPAddress.Parse("2001:db8:0:11::")));
        PrefixInformationOption fresh = right.Single(p => p.Prefix.Equals(IPAddress.Parse("2001:db8:0:21::")));
        Assert.Equal((0u, 5400u), (old.PreferredLifetime, old.ValidLifetime));   // deprecated at once; ND_VALID_LIMIT at most
        Assert.Equal((2700u, 5400u), (fresh.PreferredLifetime, fresh.ValidLifetime));

        var later = Pios(RaContent.Build(Lan(state), s_t0.AddHours(2)));
        Assert.Equal(1800u, later.Single(p => p.Prefix.Equals(IPAddress.Parse("2001:db8:0:11::"))).ValidLifetime);

        DateTimeOffset gone = s_t0.AddHours(2.5).AddSeconds(1);
        Assert.DoesNotContain(Pios(RaContent.Build(Lan(state), gone)), p => p.Prefix.Equals(IPAddress.Parse("2001:db8:0:11::")));
        Assert.Single(RaContent.Prune(state, gone));
    }

    [Fact]
    public void FinalAdvertisement_HasRouterLifetimeZeroAndDeprecatesEverything()
    {
        RouterAdvertisement ra = RaContent.Build(Lan([Prefix("2001:db8:0:11::", s_t0)]), s_t0, final: true);

        Assert.Equal(0, ra.RouterLifetime);
        Assert.Equal(0u, Assert.Single(Pios(ra)).PreferredLifetime);
        Assert.Equal(0u, ra.Options.OfType<RdnssOption>().Single().Lifetime);
    }

    [Fact]
    public void NoCurrentPrefix_RouterLifetimeZero_TheWithdrawnOneStillRunsDown()
    {
        var withdrawn = RaContent.Withdraw(Prefix("2001:db8:0:11::", s_t0), s_t0.AddMinutes(1));
        RouterAdvertisement ra = RaContent.Build(Lan([withdrawn]), s_t0.AddMinutes(2));

        Assert.Equal(0, ra.RouterLifetime);
        PrefixInformationOption pio = Assert.Single(Pios(ra));
        Assert.Equal((0u, 5340u), (pio.PreferredLifetime, pio.ValidLifetime));
    }

    [Fact]
    public void RevokedDnsServer_IsSentWithLifetimeZero_BesideTheCurrentOne()
    {
        var revoked = IPAddress.Parse("2001:db8:0:1::1"); // the router's address in the /64 before (the current one is 2001:db8:0:11::1)
        LanAnnouncement lan = Lan([Prefix("2001:db8:0:11::", s_t0)]) with { RevokedDnsServers = [revoked] };
        var rdnss = RaContent.Build(lan, s_t0).Options.OfType<RdnssOption>().ToList();

        Assert.Equal(2, rdnss.Count);
        Assert.Equal(0u, rdnss.Single(o => o.Servers.Contains(revoked)).Lifetime);
        Assert.Equal(2700u, rdnss.Single(o => o.Servers.Contains(IPAddress.Parse("2001:db8:0:11::1"))).Lifetime);
    }

    [Fact]
    public void LongAdvertisingInterval_RouterAndDnsLifetimesStayAtLeastThreeIntervals()
    {
        var intervals = new RaIntervals(TimeSpan.FromSeconds(1800), TimeSpan.FromSeconds(600));
        RouterAdvertisement ra = RaContent.Build(Lan([Prefix("2001:db8:0:11::", s_t0)]), s_t0, intervals: intervals);

        Assert.Equal(5400, ra.RouterLifetime);
        Assert.Equal(5400u, ra.Options.OfType<DnsslOption>().Single().Lifetime);
    }

    [Fact]
    public void ExpiredDelegation_IsNotAnnounced()
    {
        Assert.Empty(Pios(RaContent.Build(Lan([Prefix("2001:db8:0:11::", s_t0)]), s_t0.AddHours(5))));
    }
}
