using System.Net;
using IpoeRouter.Engine.Runtime;
using IpoeRouter.Protocols.Icmp6;
using Xunit;

namespace IpoeRouter.Engine.Tests.Runtime;

public sealed class RdnssTableTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 0, 0, 0, TimeSpan.Zero);
    private static readonly IPAddress A = IPAddress.Parse("2001:db8::53"), B = IPAddress.Parse("2001:db8::54");

    private static RdnssOption Rdnss(uint lifetime, params IPAddress[] servers) => new(lifetime, servers);

    [Fact]
    public void Servers_LastUntilTheirLifetime_RefreshedByLaterRas_RemovedByLifetimeZero()
    {
        var table = new RdnssTable();
        Assert.True(table.Apply(2, [Rdnss(60, A, B)], T0));
        Assert.Equal([A, B], table.Current(T0.AddSeconds(59)));
        Assert.Empty(table.Current(T0.AddSeconds(60)));

        Assert.True(table.Apply(2, [Rdnss(60, A, B)], T0.AddSeconds(100)));
        Assert.False(table.Apply(2, [Rdnss(60, A)], T0.AddSeconds(130))); // a refresh: same servers, same order
        Assert.Equal([A], table.Current(T0.AddSeconds(175)));              // B ran out at 160, A lasts to 190
        Assert.True(table.Apply(2, [Rdnss(0, A)], T0.AddSeconds(176)));
        Assert.Empty(table.Current(T0.AddSeconds(176)));
    }

    [Fact]
    public void Infinite_Stays_LinkLocal_KeepsTheInterface_OtherOptionsIgnored()
    {
        var table = new RdnssTable();
        IPAddress linkLocal = IPAddress.Parse("fe80::1");
        Assert.True(table.Apply(7, [new MtuOption(1500), Rdnss(uint.MaxValue, linkLocal)], T0));
        IPAddress held = Assert.Single(table.Current(T0.AddYears(10)));
        Assert.Equal(7, held.ScopeId);
        Assert.False(table.Apply(7, [new MtuOption(1500)], T0));
    }

    [Fact]
    public void AtMostThree_ANewServerReplacesTheOneExpiringSoonest_IfItOutlastsIt()
    {
        var table = new RdnssTable();
        IPAddress[] s = [.. Enumerable.Range(1, 5).Select(i => IPAddress.Parse($"2001:db8::{i}"))];
        table.Apply(2, [Rdnss(300, s[0]), Rdnss(100, s[1]), Rdnss(200, s[2])], T0);
        Assert.True(table.Apply(2, [Rdnss(150, s[3])], T0));
        Assert.Equal([s[0], s[2], s[3]], table.Current(T0));
        Assert.False(table.Apply(2, [Rdnss(10, s[4])], T0)); // would expire before every one kept
        Assert.Equal(RdnssTable.MaxServers, table.Current(T0).Count);
    }

    [Fact]
    public void ParseList_ReadsTheOptionsAsTheKernelPassesThemUp()
    {
        byte[] wire = [25, 3, 0, 0, 0, 0, 0, 60, .. A.GetAddressBytes()];
        RdnssOption parsed = Assert.IsType<RdnssOption>(Assert.Single(NdOption.ParseList(wire)));
        Assert.Equal((60u, A), (parsed.Lifetime, Assert.Single(parsed.Servers)));
    }
}
