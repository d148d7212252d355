using System.Net;
using IpoeRouter.Engine.Kernel;
using IpoeRouter.Engine.Planning;
using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Rtnl;
using IpoeRouter.Model;
using IpoeRouter.Model.Yaml;
using Xunit;

namespace IpoeRouter.Engine.Tests;

/// <summary>
/// The planner on kernel snapshots built in code. Most behaviour is proven against the real kernel
/// in Netns/; these cover what cannot exist on these machines (an ip6tnl link: no ip6_tunnel module)
/// and bindings whose runtime facts come from services not built yet (a delegated prefix).
/// </summary>
public sealed class PlannerTests
{
    private const string Doc = """
        version: 1
        interfaces:
          - { name: wan0, role: wan }
          - { name: lan0, role: lan, addresses: [192.0.2.1/24] }
        prefixDelegations:
          - { name: hgw, interface: wan0, prefixLength: 60, downstream: [{ interface: lan0, subnetId: 1 }] }
        tunnels:
          - { name: tnl0, remote: "2001:db8:ffff::100", local: { fromInterface: wan0 } }
        sysctl:
          - { name: net.ipv6.conf.all.forwarding, value: 1 }
        """;

    private static readonly RouterDocument s_doc = DocumentLoader.Load(Doc, "doc.yaml").Effective;

    private static LinkInfo Up(int index, string name, string? kind = null) => new(index, name, NetlinkConstants.InterfaceUp, 1500, kind);

    private static AddressInfo Global(int index, string address) =>
        new(index, IPAddress.Parse(address), 64, 0, RouteValues.ScopeUniverse, 14400, 12600);

    private static KernelSnapshot Snapshot(IEnumerable<LinkInfo> links, IEnumerable<AddressInfo> addresses, IEnumerable<RouteInfo>? routes = null) =>
        new(links.ToList(), addresses.ToList(), (routes ?? []).ToList(), new Dictionary<string, string?>
        {
            ["/proc/sys/net/ipv6/conf/all/forwarding"] = "1",
            ["/proc/sys/net/ipv6/conf/wan0/accept_ra"] = "2",
        });

    [Fact]
    public void TunnelLocalBinding_WanAddressChanged_PlansAnUpdateOfLocal()
    {
        var tunnel = Up(3, "tnl0", "ip6tnl") with { Ip6Tnl = new Ip6TnlLinkSpec("tnl0", IPAddress.Parse("2001:db8:0:100::2"), IPAddress.Parse("2001:db8:ffff::100")) { Mtu = 1460 } };
        KernelSnapshot k = Snapshot([Up(1, "wan0"), Up(2, "lan0"), tunnel with { Mtu = 1460 }], [Global(1, "2001:db8:0:200::2"), new AddressInfo(2, IPAddress.Parse("192.0.2.1"), 24, 0, 0, 0, 0)]);

        ResourceDiff item = Planner.Build(s_doc, RuntimeFacts.None, k).Items.Single(i => i.Kind == ResourceKind.Tunnel);

        Assert.Equal(DiffOutcome.Update, item.Outcome);
        PropertyChange local = Assert.Single(item.Changes);
        Assert.Equal(("local", "2001:db8:0:100::2", "2001:db8:0:200::2"), (local.Path, local.Before, local.After));
        Assert.Contains("wan0", item.Reason, StringComparison.Ordinal);
        Assert.Equal(IPAddress.Parse("2001:db8:0:200::2"), Assert.IsType<ChangeTunnelOperation>(Assert.Single(item.Operations)).Spec.Local);
        Assert.Equal(IPAddress.Parse("2001:db8:0:100::2"), Assert.IsType<ChangeTunnelOperation>(Assert.Single(item.Inverse)).Spec.Local);
    }

    [Fact]
    public void Tunnel_WanWithoutGlobalAddress_IsPendingWithReason()
    {
        KernelSnapshot k = Snapshot([Up(1, "wan0"), Up(2, "lan0")], []);

        Plan plan = Planner.Build(s_doc, RuntimeFacts.None, k);

        ResourceDiff tunnel = plan.Items.Single(i => i.Kind == ResourceKind.Tunnel);
        Assert.Equal(DiffOutcome.Pending, tunnel.Outcome);
        Assert.Contains("no usable global IPv6 address", tunnel.Reason, StringComparison.Ordinal);
        Assert.Contains(plan.Items, i => i.Kind == ResourceKind.Route && i.Outcome == DiffOutcome.Pending);
    }

    [Fact]
    public void Tunnel_Missing_IsCreatedUpWithTheResolvedLocal()
    {
        KernelSnapshot k = Snapshot([Up(1, "wan0"), Up(2, "lan0")], [Global(1, "2001:db8:0:200::2")]);

        ResourceDiff tunnel = Planner.Build(s_doc, RuntimeFacts.None, k).Items.Single(i => i.Kind == ResourceKind.Tunnel);

        Assert.Equal(DiffOutcome.Create, tunnel.Outcome);
        var add = Assert.IsType<AddTunnelOperation>(tunnel.Operations[0]);
        Assert.Equal((IPAddress.Parse("2001:db8:0:200::2"), (byte?)null, 1460), (add.Spec.Local, add.Spec.EncapLimit, add.Spec.Mtu!.Value));
        Assert.IsType<DeleteLinkOperation>(Assert.Single(tunnel.Inverse));
    }

    [Fact]
    public void DelegatedLanAddress_WithoutPrefix_IsPending_WithPrefix_IsCreatedAtTheSubnetId()
    {
        KernelSnapshot k = Snapshot([Up(1, "wan0"), Up(2, "lan0")], [new AddressInfo(2, IPAddress.Parse("192.0.2.1"), 24, 0, 0, 0, 0)]);

        ResourceDiff pending = Planner.Build(s_doc, RuntimeFacts.None, k).Items.Single(i => i.Kind == ResourceKind.Address && i.Source!.StartsWith("prefixDelegations", StringComparison.Ordinal));
        Assert.Equal(DiffOutcome.Pending, pending.Outcome);
        Assert.Contains("holds no prefix yet", pending.Reason, StringComparison.Ordinal);

        var facts = new RuntimeFacts { DelegatedPrefixes = new Dictionary<string, IPNetwork> { ["hgw"] = IPNetwork.Parse("2001:db8:0:10::/60") } };
        ResourceDiff created = Planner.Build(s_doc, facts, k).Items.Single(i => i.Kind == ResourceKind.Address && i.Source!.StartsWith("prefixDelegations", StringComparison.Ordinal));
        Assert.Equal(DiffOutcome.Create, created.Outcome);
        Assert.Equal("2001:db8:0:11::1/64 dev lan0", created.Key);
    }

    [Fact]
    public void DelegatedLanAddress_NotBoundYet_IsKept_ButOnceTheDelegationLostItsPrefix_IsRemoved()
    {
        var made = new AddressInfo(2, IPAddress.Parse("2001:db8:0:11::1"), 64, 0, 0, 0, 0) { Protocol = RouteProtocol.IpoeRouter };
        KernelSnapshot k = Snapshot([Up(1, "wan0"), Up(2, "lan0")], [new AddressInfo(2, IPAddress.Parse("192.0.2.1"), 24, 0, 0, 0, 0), made]);

        // At start-up, before the PD client has bound: the address stays (no LAN flap on a restart).
        Assert.DoesNotContain(Planner.Build(s_doc, RuntimeFacts.None, k).Items, i => i.Outcome == DiffOutcome.Delete);

        // The lease expired: the address made from it goes, and the pending item says why.
        var lost = new RuntimeFacts { LostDelegations = new HashSet<string> { "hgw" } };
        Plan plan = Planner.Build(s_doc, lost, k);
        ResourceDiff removal = Assert.Single(plan.Items, i => i.Outcome == DiffOutcome.Delete);
        Assert.Equal("2001:db8:0:11::1/64 dev lan0", removal.Key);
        Assert.Contains("lost its prefix", plan.Pending.Single(i => i.Kind == ResourceKind.Address && i.Key.EndsWith("dev lan0", StringComparison.Ordinal)).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void DelegatedLanAddress_WhenTheNewPrefixNoLongerHoldsTheSubnetId_TheOldAddressGoes()
    {
        var made = new AddressInfo(2, IPAddress.Parse("2001:db8:0:11::1"), 64, 0, 0, 0, 0) { Protocol = RouteProtocol.IpoeRouter };
        KernelSnapshot k = Snapshot([Up(1, "wan0"), Up(2, "lan0")], [new AddressInfo(2, IPAddress.Parse("192.0.2.1"), 24, 0, 0, 0, 0), made]);
        var facts = new RuntimeFacts { DelegatedPrefixes = new Dictionary<string, IPNetwork> { ["hgw"] = IPNetwork.Parse("2001:db8:0:20::/64") } }; // a /64: only subnet 0

        Plan plan = Planner.Build(s_doc, facts, k);

        Assert.Equal("2001:db8:0:11::1/64 dev lan0", Assert.Single(plan.Items, i => i.Outcome == DiffOutcome.Delete).Key);
        Assert.Contains("does not fit", plan.Pending.Single(i => i.Kind == ResourceKind.Address && i.Key.EndsWith("dev lan0", StringComparison.Ordinal)).Reason, StringComparison.Ordinal);
    }

    private static readonly RouterDocument s_dhcp4Doc = DocumentLoader.Load("""
        version: 1
        interfaces:
          - { name: wan0, role: wan, dhcp4: true }
          - { name: lan0, role: lan, addresses: [198.51.100.1/24] }
        """, "doc.yaml").Effective;

    private static RuntimeFacts Leased(string address, uint? seconds) => new()
    {
        Dhcp4Addresses = new Dictionary<string, LeasedAddress> { ["wan0"] = new(IPAddress.Parse(address), 24, seconds) },
    };

    [Fact]
    public void Dhcp4Address_PendingWithoutALease_CreatedWithTheLeaseAsItsLifetimes()
    {
        KernelSnapshot k = Snapshot([Up(1, "wan0"), Up(2, "lan0")], [new AddressInfo(2, IPAddress.Parse("198.51.100.1"), 24, 0, 0, 0, 0)]);
        Assert.Contains("wan0 holds no DHCPv4 lease", Planner.Build(s_dhcp4Doc, RuntimeFacts.None, k).Pending.Single(i => i.Kind == ResourceKind.Address && i.Key.EndsWith("dev wan0", StringComparison.Ordinal)).Reason, StringComparison.Ordinal);

        ResourceDiff created = Planner.Build(s_dhcp4Doc, Leased("192.0.2.100", 120), k).Items.Single(i => i.Outcome == DiffOutcome.Create && i.Kind == ResourceKind.Address);
        Assert.Equal("192.0.2.100/24 dev wan0", created.Key);
        Linux.Rtnl.AddressSpec spec = Assert.IsType<ReplaceAddressOperation>(Assert.Single(created.Operations)).Spec;
        Assert.Equal((120u, 120u, RouteProtocol.IpoeRouter), (spec.ValidLifetime!.Value, spec.PreferredLifetime!.Value, spec.Protocol));

        ResourceDiff infinite = Planner.Build(s_dhcp4Doc, Leased("192.0.2.100", null), k).Items.Single(i => i.Outcome == DiffOutcome.Create && i.Kind == ResourceKind.Address);
        Assert.Null(Assert.IsType<ReplaceAddressOperation>(Assert.Single(infinite.Operations)).Spec.ValidLifetime);
    }

    [Theory]
    [InlineData(118u, 120u, DiffOutcome.NoChange)]   // counting down since the last update: as leased
    [InlineData(60u, 120u, DiffOutcome.Update)]      // renewed: the lifetimes are extended in place
    [InlineData(0xffffffffu, 120u, DiffOutcome.Update)]
    public void Dhcp4Address_Present_LifetimesSetAgainOnlyWhenTheLeaseMoved(uint kernelValid, uint leased, DiffOutcome expected)
    {
        var present = new AddressInfo(1, IPAddress.Parse("192.0.2.100"), 24, 0, 0, kernelValid, kernelValid) { Protocol = RouteProtocol.IpoeRouter };
        KernelSnapshot k = Snapshot([Up(1, "wan0"), Up(2, "lan0")], [new AddressInfo(2, IPAddress.Parse("198.51.100.1"), 24, 0, 0, 0, 0), present]);
        ResourceDiff item = Planner.Build(s_dhcp4Doc, Leased("192.0.2.100", leased), k).Items.Single(i => i.Key == "192.0.2.100/24 dev wan0");
        Assert.Equal(expected, item.Outcome);
        if (expected == DiffOutcome.Update)
        {
            Assert.Equal(leased, Assert.IsType<ReplaceAddressOperation>(Assert.Single(item.Operations)).Spec.ValidLifetime);
        }
    }

    [Fact]
    public void Dhcp4Address_LeaseEndedOrMoved_TheOldAddressGoes()
    {
        var old = new AddressInfo(1, IPAddress.Parse("192.0.2.100"), 24, 0, 0, 100, 100) { Protocol = RouteProtocol.IpoeRouter };
        KernelSnapshot k = Snapshot([Up(1, "wan0"), Up(2, "lan0")], [new AddressInfo(2, IPAddress.Parse("198.51.100.1"), 24, 0, 0, 0, 0), old]);
        Assert.Equal("192.0.2.100/24 dev wan0", Assert.Single(Planner.Build(s_dhcp4Doc, RuntimeFacts.None, k).Items, i => i.Outcome == DiffOutcome.Delete).Key);

        Plan moved = Planner.Build(s_dhcp4Doc, Leased("192.0.2.101", 120), k);
        Assert.Equal("192.0.2.100/24 dev wan0", Assert.Single(moved.Items, i => i.Outcome == DiffOutcome.Delete).Key);
        Assert.Equal("192.0.2.101/24 dev wan0", Assert.Single(moved.Items, i => i.Outcome == DiffOutcome.Create && i.Kind == ResourceKind.Address).Key);
    }

    [Fact]
    public void AcceptRa_DerivedForTheWan_IsTwoEvenWhenTheKernelHasOne()
    {
        var k = Snapshot([Up(1, "wan0"), Up(2, "lan0")], []) with
        {
            Sysctl = new Dictionary<string, string?> { ["/proc/sys/net/ipv6/conf/all/forwarding"] = "1", ["/proc/sys/net/ipv6/conf/wan0/accept_ra"] = "1" },
        };

        ResourceDiff item = Planner.Build(s_doc, RuntimeFacts.None, k).Items.Single(i => i.Key == "net.ipv6.conf.wan0.accept_ra");

        Assert.Equal(DiffOutcome.Update, item.Outcome);
        Assert.Equal(("1", "2"), (item.Changes[0].Before, item.Changes[0].After));
        Assert.Equal(new WriteSysctlOperation("/proc/sys/net/ipv6/conf/wan0/accept_ra", "1"), Assert.Single(item.Inverse));
    }

    [Fact]
    public void Routes_OnlyTheEnginesOwnLeftoversAreRemoved()
    {
        var ours = new RouteInfo(IPNetwork.Parse("198.51.100.0/24"), IPAddress.Parse("192.0.2.254"), 2, null, RouteProtocol.IpoeRouter, RouteValues.TableMain, 0, 1);
        var byHand = new RouteInfo(IPNetwork.Parse("203.0.113.0/24"), IPAddress.Parse("192.0.2.253"), 2, null, RouteProtocol.Static, RouteValues.TableMain, 0, 1);
        var dhcpDefault = new RouteInfo(IPNetwork.Parse("0.0.0.0/0"), IPAddress.Parse("192.0.2.1"), 1, 100, RouteProtocol.Dhcp, RouteValues.TableMain, 0, 1);
        KernelSnapshot k = Snapshot([Up(1, "wan0"), Up(2, "lan0")], [], [ours, byHand, dhcpDefault]);

        var removals = Planner.Build(s_doc, RuntimeFacts.None, k).Items.Where(i => i.Outcome == DiffOutcome.Delete).ToList();

        ResourceDiff removal = Assert.Single(removals);
        Assert.StartsWith("198.51.100.0/24", removal.Key, StringComparison.Ordinal);
    }

    [Fact]
    public void Link_Missing_IsPendingAndNothingIsPlannedOnIt()
    {
        KernelSnapshot k = Snapshot([Up(1, "wan0")], []);

        Plan plan = Planner.Build(s_doc, RuntimeFacts.None, k);

        Assert.Contains(plan.Items, i => i.Kind == ResourceKind.Link && i.Key == "lan0" && i.Outcome == DiffOutcome.Pending);
        Assert.DoesNotContain(plan.Actionable, i => i.Key.Contains("lan0", StringComparison.Ordinal));
    }
}
