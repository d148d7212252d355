using System.Net;
using IpoeRouter.Engine.Firewall;
using IpoeRouter.Engine.Kernel;
using IpoeRouter.Engine.Planning;
using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Rtnl;
using IpoeRouter.Model;
using IpoeRouter.Model.Yaml;
using Xunit;

namespace IpoeRouter.Engine.Tests;

/// <summary>Planner behaviour that keeps a router reachable: ordering, ownership, stable choices.</summary>
public sealed class PlannerSafetyTests
{
    private static RouterDocument Doc(string yaml) => DocumentLoader.Load("version: 1\n" + yaml, "doc.yaml").Effective;

    private static LinkInfo Up(int index, string name) => new(index, name, NetlinkConstants.InterfaceUp, 1500, null);

    private static KernelSnapshot Kernel(IEnumerable<AddressInfo>? addresses = null, IEnumerable<RouteInfo>? routes = null, Dictionary<string, string?>? sysctl = null) =>
        new([Up(1, "wan0"), Up(2, "lan0")], (addresses ?? []).ToList(), (routes ?? []).ToList(), sysctl ?? []);

    [Fact]
    public void AcceptRa_IsWrittenBeforeForwarding_SoTheWanKeepsItsRaRoutes()
    {
        RouterDocument doc = Doc("interfaces:\n  - { name: wan0, role: wan }\nsysctl:\n  - { name: net.ipv6.conf.all.forwarding, value: 1 }\n  - { name: net.ipv4.ip_forward, value: 1 }\n");
        var k = Kernel(sysctl: new() { ["/proc/sys/net/ipv6/conf/all/forwarding"] = "0", ["/proc/sys/net/ipv4/ip_forward"] = "0", ["/proc/sys/net/ipv6/conf/wan0/accept_ra"] = "1" });

        var keys = Planner.Build(doc, RuntimeFacts.None, k).Actionable.Where(i => i.Kind == ResourceKind.Sysctl).Select(i => i.Key).ToList();

        Assert.True(keys.IndexOf("net.ipv6.conf.wan0.accept_ra") < keys.IndexOf("net.ipv6.conf.all.forwarding"), string.Join(", ", keys));
    }

    [Fact]
    public void DeclaredRoute_OverARouteTheEngineDidNotMake_IsPendingNotReplaced()
    {
        RouterDocument doc = Doc("interfaces:\n  - { name: lan0, role: lan, addresses: [192.0.2.1/24] }\nroutes:\n  - { destination: 0.0.0.0/0, gateway: 192.0.2.254, interface: lan0 }\n");
        var byHand = new RouteInfo(IPNetwork.Parse("0.0.0.0/0"), IPAddress.Parse("192.0.2.1"), 2, null, RouteProtocol.Boot, RouteValues.TableMain, 0, 1);

        ResourceDiff item = Planner.Build(doc, RuntimeFacts.None, Kernel(routes: [byHand])).Items.Single(i => i.Kind == ResourceKind.Route);

        Assert.Equal(DiffOutcome.Pending, item.Outcome);
        Assert.Contains("not the engine's", item.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Ipv6RouteWithMetricZero_MatchesTheKernelsMetric1024()
    {
        RouterDocument doc = Doc("interfaces:\n  - { name: lan0, role: lan }\nroutes:\n  - { destination: \"2001:db8:99::/48\", interface: lan0, metric: 0 }\n");
        var ours = new RouteInfo(IPNetwork.Parse("2001:db8:99::/48"), null, 2, 1024, RouteProtocol.IpoeRouter, RouteValues.TableMain, 0, 1);

        Plan plan = Planner.Build(doc, RuntimeFacts.None, Kernel(routes: [ours]));

        Assert.DoesNotContain(plan.Actionable, i => i.Kind == ResourceKind.Route);
    }

    [Fact]
    public void HeldBackFirewall_WithNoTable_GetsTheDefaultPolicyMeanwhile()
    {
        RouterDocument doc = Doc("interfaces:\n  - { name: wan0, role: wan }\n  - { name: lan0, role: lan }\nprefixDelegations:\n  - { name: hgw, interface: wan0 }\nfirewallRules:\n  - { name: no-delegated, chain: input, source: { delegatedPrefix: hgw }, action: drop }\n");

        ResourceDiff fresh = Planner.Build(doc, RuntimeFacts.None, Kernel()).Items.Single(i => i.Kind == ResourceKind.Firewall);
        Assert.Equal(DiffOutcome.Create, fresh.Outcome);
        Assert.Contains("default policy", fresh.Reason, StringComparison.Ordinal);
        Assert.Contains("default-in-lo", Assert.IsType<ApplyFirewallOperation>(Assert.Single(fresh.Operations)).Transaction, StringComparison.Ordinal);

        var withTable = Kernel() with { Firewall = new FirewallObservation(true, "x", null, () => "{\"nftables\":[]}") };
        Assert.Equal(DiffOutcome.Pending, Planner.Build(doc, RuntimeFacts.None, withTable).Items.Single(i => i.Kind == ResourceKind.Firewall).Outcome);
    }

    [Fact]
    public void RuleWithNoFamilyLeft_IsReportedNotSilentlyDropped()
    {
        RouterDocument doc = Doc("interfaces:\n  - { name: wan0, role: wan }\nprefixDelegations:\n  - { name: hgw, interface: wan0 }\nfirewallRules:\n  - { name: v4-to-delegated, chain: forward, family: ip, destination: { delegatedPrefix: hgw }, action: drop }\n");
        var facts = new RuntimeFacts { DelegatedPrefixes = new Dictionary<string, IPNetwork> { ["hgw"] = IPNetwork.Parse("2001:db8:0:10::/60") } };

        CompiledFirewall compiled = FirewallCompiler.Compile(doc, facts);

        Assert.True(compiled.IsBlocked);
        Assert.Contains("v4-to-delegated", compiled.Blocking[0], StringComparison.Ordinal);
    }

    [Fact]
    public void TunnelLocal_IgnoresTemporaryAddresses_AndKeepsTheCurrentOneWhileUsable()
    {
        RouterDocument doc = Doc("interfaces:\n  - { name: wan0, role: wan }\ntunnels:\n  - { name: tnl0, remote: \"2001:db8:ffff::100\", local: { fromInterface: wan0 } }\n");
        var stable = new AddressInfo(1, IPAddress.Parse("2001:db8:0:200::2"), 64, 0, RouteValues.ScopeUniverse, 14400, 100);
        var newer = new AddressInfo(1, IPAddress.Parse("2001:db8:0:200::1"), 64, 0, RouteValues.ScopeUniverse, 14400, 12600);
        var temporary = new AddressInfo(1, IPAddress.Parse("2001:db8:0:200::99"), 64, Ifa.FlagTemporary, RouteValues.ScopeUniverse, 86400, 86400);
        var tunnel = new LinkInfo(3, "tnl0", NetlinkConstants.InterfaceUp, 1460, "ip6tnl")
        {
            Ip6Tnl = new Ip6TnlLinkSpec("tnl0", stable.Address, IPAddress.Parse("2001:db8:ffff::100")) { Mtu = 1460 },
        };
        KernelSnapshot k = new([Up(1, "wan0"), tunnel], [stable, newer, temporary], [], new Dictionary<string, string?>());

        ResourceDiff item = Planner.Build(doc, RuntimeFacts.None, k).Items.Single(i => i.Kind == ResourceKind.Tunnel);
        Assert.Equal(DiffOutcome.NoChange, item.Outcome);

        KernelSnapshot fresh = k with { Links = [Up(1, "wan0")] };
        var add = Assert.IsType<AddTunnelOperation>(Planner.Build(doc, RuntimeFacts.None, fresh).Items.Single(i => i.Kind == ResourceKind.Tunnel).Operations[0]);
        Assert.Equal(newer.Address, add.Spec.Local);
    }
}
