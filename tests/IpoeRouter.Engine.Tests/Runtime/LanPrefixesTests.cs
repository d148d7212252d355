using System.Net;
using IpoeRouter.Engine.Runtime;
using IpoeRouter.Services.Dhcp6PdClient;
using IpoeRouter.Services.RaSender;
using Xunit;

namespace IpoeRouter.Engine.Tests.Runtime;

public sealed class LanPrefixesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    private static LeasedPrefix Delegated(string prefix, DateTimeOffset since, int preferred = 12600, int valid = 14400) =>
        new(IPAddress.Parse(prefix), 60, TimeSpan.FromSeconds(preferred), TimeSpan.FromSeconds(valid), since);

    [Fact]
    public void FirstDelegation_TheSubnetIdPicksThe64_WithTheLeaseLifetimes()
    {
        var lan = LanPrefixes.Next([], Delegated("2001:db8:1200::", T0), subnetId: 5, T0);
        AnnouncedPrefix p = Assert.Single(lan);
        Assert.Equal(IPAddress.Parse("2001:db8:1200:5::"), p.Prefix);
        Assert.Equal(TimeSpan.FromSeconds(12600), p.Preferred);
        Assert.Null(p.WithdrawnAt);
    }

    [Fact]
    public void Renew_SamePrefix_RefreshesTheLifetimes_InPlace()
    {
        var lan = LanPrefixes.Next([], Delegated("2001:db8:1200::", T0), 1, T0);
        var later = T0.AddHours(2);
        lan = LanPrefixes.Next(lan, Delegated("2001:db8:1200::", later), 1, later);
        AnnouncedPrefix p = Assert.Single(lan);
        Assert.Equal(later, p.Since);
        Assert.Equal(TimeSpan.FromSeconds(12600), p.PreferredLeft(later));
    }

    [Fact]
    public void NewPrefix_OldOneWithdrawn_PreferredZero_ValidAtMostNdValidLimit()
    {
        var lan = LanPrefixes.Next([], Delegated("2001:db8:1200::", T0), 1, T0);
        var change = T0.AddMinutes(10);
        lan = LanPrefixes.Next(lan, Delegated("2001:db8:3400::", change), 1, change);
        Assert.Equal(2, lan.Count);
        AnnouncedPrefix old = lan.Single(p => p.Prefix.Equals(IPAddress.Parse("2001:db8:1200:1::")));
        Assert.Equal(change, old.WithdrawnAt);
        Assert.Equal(TimeSpan.Zero, old.PreferredLeft(change));
        Assert.Equal(TimeSpan.FromSeconds(5400), old.ValidLeft(change));
        Assert.Null(lan.Single(p => p.Prefix.Equals(IPAddress.Parse("2001:db8:3400:1::"))).WithdrawnAt);

        // 5400 s on, the old one is gone from the list.
        var much = change.AddSeconds(5401);
        lan = LanPrefixes.Next(lan, Delegated("2001:db8:3400::", much), 1, much);
        Assert.Equal([IPAddress.Parse("2001:db8:3400:1::")], lan.Select(p => p.Prefix));
    }

    [Fact]
    public void DelegationLost_CurrentWithdrawn_WithWhatIsLeftOfItsValidLifetime()
    {
        var lan = LanPrefixes.Next([], Delegated("2001:db8:1200::", T0, preferred: 8, valid: 10), 1, T0);
        lan = LanPrefixes.Next(lan, null, 1, T0.AddSeconds(4));
        AnnouncedPrefix p = Assert.Single(lan);
        Assert.NotNull(p.WithdrawnAt);
        Assert.Equal(TimeSpan.FromSeconds(6), p.ValidLeft(T0.AddSeconds(4)));
        Assert.Empty(LanPrefixes.Next(lan, null, 1, T0.AddSeconds(11)));
    }

    [Fact]
    public void SubnetIdBeyondTheDelegation_AnnouncesNothing()
    {
        Assert.Empty(LanPrefixes.Next([], Delegated("2001:db8:1200::", T0), subnetId: 16, T0)); // a /60 has 16 subnets: 0 … 15
    }
}
