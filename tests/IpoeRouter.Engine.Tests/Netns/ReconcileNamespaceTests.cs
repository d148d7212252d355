using System.Text.Json;
using IpoeRouter.Engine.Kernel;
using IpoeRouter.Engine.Planning;
using IpoeRouter.Lab;
using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Model;
using IpoeRouter.Model.Yaml;
using Xunit;

namespace IpoeRouter.Engine.Tests.Netns;

/// <summary>The engine against the real kernel in a fresh namespace per test; results read back with ip -j and /proc/sys, not our own reader.</summary>
public sealed class ReconcileNamespaceTests
{
    internal const string Doc = """
        version: 1
        interfaces:
          - { name: v1, role: wan, acceptRa: true }
          - { name: v0, role: lan, mtu: 1454, addresses: [192.0.2.1/24, "2001:db8:0:1::1/64"] }
        routes:
          - { destination: 198.51.100.0/24, gateway: 192.0.2.254, interface: v0 }
        sysctl:
          - { name: net.ipv6.conf.all.forwarding, value: 1 }
          - { name: net.ipv4.ip_forward, value: 1 }
        """;

    private static RouterDocument Effective(string text) => DocumentLoader.Load(text, "doc.yaml").Effective;

    internal static string Proc(NetnsFixture ns, string key) => NetnsFixture.Ip($"netns exec {ns.Name} cat /proc/sys/{key}").Trim();

    /// <summary>
    /// What the engine manages, as ip, nft and /proc/sys show it: each link's admin state and MTU,
    /// every address, every route of both families, the sysctl keys of the document, and the whole
    /// nftables ruleset (the engine's <c>inet ipoe</c> table, or its absence). (Bringing a veth up
    /// once also attaches a qdisc and changes its operstate for good; that is not state the engine
    /// manages, so it is not compared.)
    /// </summary>
    internal static string State(NetnsFixture ns) => string.Join("\n",
        string.Join(";", ns.Json("link show").EnumerateArray().Select(l =>
            $"{l.GetProperty("ifname").GetString()} mtu {l.GetProperty("mtu").GetInt32()} {(l.GetProperty("flags").EnumerateArray().Any(f => f.GetString() == "UP") ? "up" : "down")}")),
        string.Join(";", ns.Json("addr show").EnumerateArray().SelectMany(l => l.GetProperty("addr_info").EnumerateArray()
            .Select(a => $"{l.GetProperty("ifname").GetString()} {a.GetProperty("local").GetString()}/{a.GetProperty("prefixlen").GetInt32()}")).Order()),
        ns.InNs("route show table all"), ns.InNs("-6 route show table all"),
        Proc(ns, "net/ipv6/conf/all/forwarding"), Proc(ns, "net/ipv4/ip_forward"), Proc(ns, "net/ipv6/conf/v1/accept_ra"),
        "nft: " + NetnsFixture.Ip($"netns exec {ns.Name} nft list ruleset"));

    [NetnsFact]
    public void Reconcile_Document_AppliesLinksAddressesRoutesAndSysctl()
    {
        using var ns = new NetnsFixture();
        using var kernel = new NetlinkKernel(NetworkNamespace.Named(ns.Name));

        ReconcileResult result = new Reconciler(kernel).Reconcile(Effective(Doc), RuntimeFacts.None);

        Assert.IsType<ReconcileOutcome.Converged>(result.Outcome);
        JsonElement v0 = ns.Json("addr show dev v0")[0];
        Assert.Equal(1454, v0.GetProperty("mtu").GetInt32());
        Assert.Contains("UP", v0.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        var addresses = v0.GetProperty("addr_info").EnumerateArray().Select(a => $"{a.GetProperty("local").GetString()}/{a.GetProperty("prefixlen").GetInt32()}").ToList();
        Assert.Contains("192.0.2.1/24", addresses);
        Assert.Contains("2001:db8:0:1::1/64", addresses);
        JsonElement route = ns.Json($"route show proto {RouteProtocol.IpoeRouter}").EnumerateArray().Single();
        Assert.Equal(("198.51.100.0/24", "192.0.2.254", "v0"), (route.GetProperty("dst").GetString(), route.GetProperty("gateway").GetString(), route.GetProperty("dev").GetString()));
        Assert.Equal("1", Proc(ns, "net/ipv6/conf/all/forwarding"));
        Assert.Equal("1", Proc(ns, "net/ipv4/ip_forward"));
        Assert.Equal("2", Proc(ns, "net/ipv6/conf/v1/accept_ra"));
    }

    [NetnsFact]
    public void Reconcile_SecondRun_PlansNothing()
    {
        using var ns = new NetnsFixture();
        using var kernel = new NetlinkKernel(NetworkNamespace.Named(ns.Name));
        var reconciler = new Reconciler(kernel);
        reconciler.Reconcile(Effective(Doc), RuntimeFacts.None);

        Plan again = reconciler.Plan(Effective(Doc), RuntimeFacts.None);

        Assert.Empty(again.Actionable);
        Assert.Empty(again.Pending);
    }

    [NetnsFact]
    public void Reconcile_FailureInTheMiddle_LeavesEverythingAsBefore()
    {
        using var ns = new NetnsFixture();
        using var kernel = new NetlinkKernel(NetworkNamespace.Named(ns.Name));
        var operations = new Reconciler(kernel).Plan(Effective(Doc), RuntimeFacts.None).Actionable.SelectMany(i => i.Operations).ToList();
        int changes = operations.Count;
        Assert.True(changes >= 6, $"the document should need several changes, not {changes}");
        // The document declares no rules, so the default firewall is part of the apply; failing right
        // after it and at the very end leaves a table in place unless the rollback removes it.
        int firewallAt = operations.FindIndex(o => o is ApplyFirewallOperation) + 1;
        Assert.InRange(firewallAt, 1, changes - 1);
        string before = State(ns);
        Assert.DoesNotContain("table inet ipoe", before, StringComparison.Ordinal);

        foreach (int failAt in new[] { 2, firewallAt + 1, changes })
        {
            ReconcileResult result = new Reconciler(new FaultyKernel(kernel, failAt)).Reconcile(Effective(Doc), RuntimeFacts.None);

            var failed = Assert.IsType<ReconcileOutcome.Failed>(result.Outcome);
            Assert.Contains("injected failure", failed.Error.Message, StringComparison.Ordinal);
            Assert.Empty(result.Failure!.RollbackFailures);
            Assert.Equal(before, State(ns));
        }
    }

    [NetnsFact]
    public void Reconcile_HandAddedRoute_SurvivesEveryApply_AndOwnLeftoversGo()
    {
        using var ns = new NetnsFixture();
        using var kernel = new NetlinkKernel(NetworkNamespace.Named(ns.Name));
        var reconciler = new Reconciler(kernel);
        reconciler.Reconcile(Effective(Doc), RuntimeFacts.None);
        ns.InNs("route add 203.0.113.0/24 via 192.0.2.253 dev v0");

        reconciler.Reconcile(Effective(Doc), RuntimeFacts.None);
        string withoutRoute = Doc[..Doc.IndexOf("routes:", StringComparison.Ordinal)] + Doc[Doc.IndexOf("sysctl:", StringComparison.Ordinal)..];
        ReconcileResult removed = reconciler.Reconcile(Effective(withoutRoute), RuntimeFacts.None);

        Assert.Single(ns.Json("route show 203.0.113.0/24").EnumerateArray());
        Assert.Empty(ns.Json($"route show proto {RouteProtocol.IpoeRouter}").EnumerateArray());
        Assert.Contains(removed.Applied, i => i.Outcome == DiffOutcome.Delete && i.Key.StartsWith("198.51.100.0/24", StringComparison.Ordinal));
    }

    [NetnsFact]
    public void Reconcile_AddressRemovedFromDocument_RemovesOnlyTheEnginesAddress()
    {
        using var ns = new NetnsFixture();
        using var kernel = new NetlinkKernel(NetworkNamespace.Named(ns.Name));
        var reconciler = new Reconciler(kernel);
        reconciler.Reconcile(Effective(Doc), RuntimeFacts.None);
        ns.InNs("addr add 203.0.113.9/24 dev v0"); // another subnet: deleting 192.0.2.1/24 would take its secondaries along (promote_secondaries off)

        reconciler.Reconcile(Effective(Doc.Replace("192.0.2.1/24, ", string.Empty, StringComparison.Ordinal).Replace("routes:\n  - { destination: 198.51.100.0/24, gateway: 192.0.2.254, interface: v0 }\n", string.Empty, StringComparison.Ordinal)), RuntimeFacts.None);

        var left = ns.Json("-4 addr show dev v0")[0].GetProperty("addr_info").EnumerateArray().Select(a => a.GetProperty("local").GetString()).ToList();
        Assert.Equal(["203.0.113.9"], left);
    }
}
