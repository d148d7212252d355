using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Linux.Rtnl;
using IpoeRouter.Lab;
using Xunit;

namespace IpoeRouter.Linux.Tests.Netns;

/// <summary>rtnetlink against the real kernel, each test in a namespace of its own, checked with <c>ip -j</c>.</summary>
public sealed class RtnlNamespaceTests
{
    [NetnsFact]
    public void DumpLinks_ListsWhatIpShows()
    {
        using var ns = new NetnsFixture();

        var ours = new LinkOps(ns.Socket).Dump();

        var theirs = ns.Json("link show").EnumerateArray()
            .Select(l => (l.GetProperty("ifindex").GetInt32(), l.GetProperty("ifname").GetString()!, l.GetProperty("mtu").GetInt32()))
            .OrderBy(t => t.Item1).ToList();
        Assert.Equal(theirs, ours.Select(l => (l.Index, l.Name, l.Mtu)).OrderBy(t => t.Index).ToList());
        Assert.Equal("veth", ours.Single(l => l.Name == "v0").Kind);
        var macs = ns.Json("link show").EnumerateArray().ToDictionary(l => l.GetProperty("ifname").GetString()!, l => l.GetProperty("address").GetString());
        Assert.Equal(macs["v0"], ours.Single(l => l.Name == "v0").HardwareAddress);
        Assert.Equal(6, ours.Single(l => l.Name == "v0").HardwareAddressBytes().Length);
    }

    [NetnsFact]
    public void DumpNeighbors_ListsEachFamilysEntries_WithTheirHardwareAddressAndState()
    {
        using var ns = new NetnsFixture();
        ns.InNs("link set v0 up");
        ns.InNs("-6 neigh add 2001:db8:5::9 lladdr 02:00:5e:00:53:09 dev v0 nud stale");
        ns.InNs("-6 neigh add 2001:db8:5::a dev v0 nud failed");
        var ops = new NeighborOps(ns.Socket);
        ops.Replace(new LinkOps(ns.Socket).Dump().Single(l => l.Name == "v0").Index, IPAddress.Parse("192.0.2.9"), [2, 0, 0x5e, 0, 0x53, 0x0a]);

        IReadOnlyList<NeighborInfo> six = ops.Dump(AddressFamily.InterNetworkV6);
        NeighborInfo stale = six.Single(n => n.Address.Equals(IPAddress.Parse("2001:db8:5::9")));
        Assert.Equal("02005E005309", Convert.ToHexString(stale.HardwareAddress));
        Assert.True(stale.IsResolved);
        Assert.InRange(stale.ConfirmedAgo!.Value, TimeSpan.Zero, TimeSpan.FromMinutes(10)); // just added
        Assert.False(six.Single(n => n.Address.Equals(IPAddress.Parse("2001:db8:5::a"))).IsResolved);
        Assert.DoesNotContain(six, n => n.Address.AddressFamily != AddressFamily.InterNetworkV6);
        NeighborInfo four = Assert.Single(ops.Dump(AddressFamily.InterNetwork), n => n.Address.Equals(IPAddress.Parse("192.0.2.9")));
        Assert.Equal("02005E00530A", Convert.ToHexString(four.HardwareAddress));
    }

    [NetnsFact]
    public void DumpRoutes_ShowsTheTimeLeftOfARouteWithALifetime_AsIpDoes()
    {
        using var ns = new NetnsFixture();
        ns.InNs("link set v0 up");
        ns.InNs("link set v1 up");
        ns.InNs("-6 addr add 2001:db8:5::1/64 dev v0 nodad");
        ns.InNs("-6 route add 2001:db8:77::/48 via 2001:db8:5::2 dev v0 expires 600");
        ns.InNs("-6 route add 2001:db8:78::/48 via 2001:db8:5::2 dev v0");

        var routes = new RouteOps(ns.Socket).Dump(AddressFamily.InterNetworkV6);

        RouteInfo expiring = routes.Single(r => r.Destination.Equals(IPNetwork.Parse("2001:db8:77::/48")));
        Assert.InRange(expiring.Expires!.Value, 590u, 600u);
        string shown = ns.InNs("-6 route show 2001:db8:77::/48");
        Assert.Contains("expires", shown);
        Assert.Null(routes.Single(r => r.Destination.Equals(IPNetwork.Parse("2001:db8:78::/48"))).Expires);
    }

    [NetnsFact]
    public void SetUpAndMtu_ChangeTheLink()
    {
        using var ns = new NetnsFixture();
        var links = new LinkOps(ns.Socket);
        LinkInfo v0 = links.Find("v0")!;

        links.SetMtu(v0, 1454);
        links.SetUp(v0, true);

        JsonElement shown = ns.Json("link show dev v0")[0];
        Assert.Equal(1454, shown.GetProperty("mtu").GetInt32());
        Assert.Contains("UP", shown.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.True(links.Find("v0")!.IsUp);
    }

    [NetnsFact]
    public void ReplaceAddress_BothFamiliesWithLifetimes_IsWhatIpShowsAndIsIdempotent()
    {
        using var ns = new NetnsFixture();
        var links = new LinkOps(ns.Socket);
        var addresses = new AddressOps(ns.Socket);
        LinkInfo v0 = links.Find("v0")!;
        links.SetUp(v0, true);
        var v4 = new AddressSpec(v0.Index, IPAddress.Parse("192.0.2.1"), 24);
        var v6 = new AddressSpec(v0.Index, IPAddress.Parse("2001:db8:0:1::1"), 64) { ValidLifetime = 14400, PreferredLifetime = 12600, Flags = Ifa.FlagNoDad };

        addresses.Replace(v4);
        addresses.Replace(v6);
        addresses.Replace(v6); // a second time changes nothing and does not fail

        var info = ns.Json("addr show dev v0")[0].GetProperty("addr_info").EnumerateArray().ToList();
        JsonElement shown4 = info.Single(a => a.GetProperty("local").GetString() == "192.0.2.1");
        Assert.Equal(24, shown4.GetProperty("prefixlen").GetInt32());
        JsonElement shown6 = info.Single(a => a.GetProperty("local").GetString() == "2001:db8:0:1::1");
        Assert.InRange(shown6.GetProperty("valid_life_time").GetInt64(), 14390, 14400);
        Assert.InRange(shown6.GetProperty("preferred_life_time").GetInt64(), 12590, 12600);

        AddressInfo dumped = addresses.Dump(AddressFamily.InterNetworkV6).Single(a => a.Address.Equals(v6.Address));
        Assert.Equal(64, dumped.PrefixLength);
        Assert.False(dumped.IsTentative);

        addresses.Delete(v4);
        Assert.DoesNotContain(ns.Json("addr show dev v0")[0].GetProperty("addr_info").EnumerateArray(), a => a.GetProperty("local").GetString() == "192.0.2.1");
    }

    [NetnsFact]
    public void WaitForLinkLocal_ReturnsOnceDadIsDone_AndTimesOutOnADownLink()
    {
        using var ns = new NetnsFixture();
        var links = new LinkOps(ns.Socket);
        var addresses = new AddressOps(ns.Socket);
        int v0 = links.Find("v0")!.Index;
        Assert.Contains("v0 has no link-local address", Assert.Throws<TimeoutException>(() => addresses.WaitForLinkLocal(v0, "v0", TimeSpan.FromMilliseconds(300))).Message);

        ns.InNs("link set v1 up");
        ns.InNs("link set v0 up"); // DAD runs now (dad_transmits 1, about a second)
        IPAddress ll = addresses.WaitForLinkLocal(v0, "v0", TimeSpan.FromSeconds(10));

        Assert.True(ll.IsIPv6LinkLocal);
        JsonElement shown = ns.Json("addr show dev v0")[0].GetProperty("addr_info").EnumerateArray().Single(a => a.GetProperty("local").GetString() == ll.ToString());
        Assert.False(shown.TryGetProperty("tentative", out _));
    }

    [NetnsFact]
    public void ReplaceRoute_MarkedWithOurProtocol_LeavesAHandAddedRouteAlone()
    {
        using var ns = new NetnsFixture();
        var links = new LinkOps(ns.Socket);
        LinkInfo v0 = links.Find("v0")!;
        links.SetUp(v0, true);
        new AddressOps(ns.Socket).Replace(new AddressSpec(v0.Index, IPAddress.Parse("192.0.2.1"), 24));
        ns.InNs("route add 203.0.113.0/24 via 192.0.2.253 proto static");
        var routes = new RouteOps(ns.Socket);
        var ours = new RouteSpec(IPNetwork.Parse("198.51.100.0/24")) { Gateway = IPAddress.Parse("192.0.2.254"), OutputIndex = v0.Index, Metric = 10 };

        routes.Replace(ours);
        routes.Replace(ours);

        JsonElement shown = ns.Json($"route show proto {RouteProtocol.IpoeRouter}").EnumerateArray().Single();
        Assert.Equal("198.51.100.0/24", shown.GetProperty("dst").GetString());
        Assert.Equal("192.0.2.254", shown.GetProperty("gateway").GetString());
        Assert.Equal(10, shown.GetProperty("metric").GetInt32());
        RouteInfo dumped = routes.Dump(AddressFamily.InterNetwork).Single(r => r.Protocol == RouteProtocol.IpoeRouter);
        Assert.Equal(ours.Destination, dumped.Destination);

        routes.Delete(ours);
        Assert.Empty(ns.Json($"route show proto {RouteProtocol.IpoeRouter}").EnumerateArray());
        Assert.Single(ns.Json("route show 203.0.113.0/24").EnumerateArray());
    }

    [NetnsFact]
    public void Request_OnAMissingLink_ThrowsWithErrnoAndOperation()
    {
        using var ns = new NetnsFixture();

        var e = Assert.Throws<NetlinkException>(() =>
            new AddressOps(ns.Socket).Replace(new AddressSpec(9999, IPAddress.Parse("192.0.2.1"), 24)));

        Assert.Equal(19, e.Errno); // ENODEV
        Assert.Contains("ip addr replace 192.0.2.1/24", e.Operation, StringComparison.Ordinal);
    }

    [NetnsFact]
    public void AddIp6Tnl_OnThisKernel_CreatesTheLinkOrNamesTheMissingModule()
    {
        using var ns = new NetnsFixture();
        var links = new LinkOps(ns.Socket);
        var spec = new Ip6TnlLinkSpec("ip6tnl1", IPAddress.Parse("2001:db8::2"), IPAddress.Parse("2001:db8:ffff::100")) { Mtu = 1460 };

        try
        {
            links.Add(spec);
        }
        catch (MissingKernelModuleException e)
        {
            // These kernels have no ip6_tunnel: the error must say which module and what to do.
            Assert.Equal("ip6_tunnel", e.Module);
            Assert.Contains("modprobe ip6_tunnel", e.Message, StringComparison.Ordinal);
            Assert.IsType<NetlinkException>(e.InnerException);
            Assert.DoesNotContain(links.Dump(), l => l.Name == "ip6tnl1");
            return;
        }

        LinkInfo created = links.Find("ip6tnl1")!;
        Assert.Equal(spec with { Mtu = 1460 }, created.Ip6Tnl! with { Mtu = created.Mtu });
    }

    [NetnsFact]
    public void Subscribe_AddressAdded_DeliversAnEvent()
    {
        using var ns = new NetnsFixture();
        using NetlinkSocket events = NetlinkSocket.OpenInNamespace($"/run/netns/{ns.Name}", TimeSpan.FromSeconds(2));
        events.Subscribe(NetlinkConstants.GroupIpv4Address);
        LinkInfo v0 = new LinkOps(ns.Socket).Find("v0")!;

        new AddressOps(ns.Socket).Replace(new AddressSpec(v0.Index, IPAddress.Parse("192.0.2.7"), 24));

        NetlinkMessage added = Enumerable.Range(0, 5).Select(_ => events.ReceiveEvents() ?? []).SelectMany(m => m)
            .First(m => m.Type == NetlinkMessageType.NewAddress);
        Assert.Equal(IPAddress.Parse("192.0.2.7"), AddressOps.Decode(added).Address);
    }

    [NetnsFact]
    public void Fixture_Disposed_RemovesItsNamespace()
    {
        string name;
        using (var ns = new NetnsFixture())
        {
            name = ns.Name;
            Assert.Contains(name, NetnsFixture.Ip("netns list"), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(name, NetnsFixture.Ip("netns list"), StringComparison.Ordinal);
    }
}

public sealed class SysctlAndOwnershipNamespaceTests
{
    [NetnsFact]
    public void Sysctl_WrittenInTheNamespace_IsSeenThereAndNotOnTheHost()
    {
        using var ns = new NetnsFixture();
        var sysctl = new IpoeRouter.Linux.Sysctl.SysctlAccess(NetworkNamespace.Named(ns.Name));
        string? hostBefore = File.Exists("/proc/sys/net/ipv6/conf/all/forwarding") ? File.ReadAllText("/proc/sys/net/ipv6/conf/all/forwarding").Trim() : null;

        sysctl.Write("net/ipv6/conf/v0/accept_ra", "2");
        sysctl.Write("net/ipv6/conf/all/forwarding", "1");

        Assert.Equal("2", NetnsFixture.Ip($"netns exec {ns.Name} cat /proc/sys/net/ipv6/conf/v0/accept_ra").Trim());
        Assert.Equal("1", sysctl.Read("net/ipv6/conf/all/forwarding"));
        Assert.Null(sysctl.Read("net/ipv6/conf/nosuchif/accept_ra"));
        if (hostBefore is not null)
        {
            Assert.Equal(hostBefore, File.ReadAllText("/proc/sys/net/ipv6/conf/all/forwarding").Trim());
        }
    }

    [NetnsFact]
    public void Sysctl_PathOutsideProcSys_IsRefused()
    {
        var sysctl = new IpoeRouter.Linux.Sysctl.SysctlAccess(NetworkNamespace.Current);
        Assert.Throws<ArgumentException>(() => sysctl.Read("../../etc/passwd"));
    }

    [NetnsFact]
    public void Address_WithOwnerMark_IsListedWithIt()
    {
        using var ns = new NetnsFixture();
        LinkInfo v0 = new LinkOps(ns.Socket).Find("v0")!;
        var addresses = new AddressOps(ns.Socket);

        addresses.Replace(new AddressSpec(v0.Index, IPAddress.Parse("192.0.2.1"), 24) { Protocol = RouteProtocol.IpoeRouter });
        ns.InNs("addr add 192.0.2.2/24 dev v0");

        var listed = addresses.Dump(AddressFamily.InterNetwork).Where(a => a.Index == v0.Index).ToDictionary(a => a.Address.ToString(), a => a.Protocol);
        Assert.Equal(RouteProtocol.IpoeRouter, listed["192.0.2.1"]);
        Assert.Equal(0, listed["192.0.2.2"]);
    }
}
