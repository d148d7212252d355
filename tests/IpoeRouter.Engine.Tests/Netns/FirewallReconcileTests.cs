using System.Diagnostics;
using IpoeRouter.Engine.Firewall;
using IpoeRouter.Engine.Kernel;
using IpoeRouter.Engine.Planning;
using IpoeRouter.Lab;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Model;
using IpoeRouter.Model.Yaml;
using Xunit;

namespace IpoeRouter.Engine.Tests.Netns;

/// <summary>The firewall through the reconciler, and packets between namespaces as the rules say.</summary>
public sealed class FirewallReconcileTests
{
    private const string Router = """
        version: 1
        interfaces:
          - { name: v0, role: ROLE, addresses: [192.0.2.1/24] }
        sysctl:
          - { name: net.ipv4.ip_forward, value: 1 }
        """;

    private static RouterDocument Doc(string role) => DocumentLoader.Load(Router.Replace("ROLE", role, StringComparison.Ordinal), "doc.yaml").Effective;

    [NetnsFact]
    public void HandEditedTable_ShowsAsDrift_AndTheNextApplyRevertsIt()
    {
        using var ns = new NetnsFixture();
        using var kernel = new NetlinkKernel(NetworkNamespace.Named(ns.Name));
        var reconciler = new Reconciler(kernel);
        reconciler.Reconcile(Doc("lan"), RuntimeFacts.None);
        string applied = NetnsFixture.Ip($"netns exec {ns.Name} nft list table inet ipoe");
        Assert.Empty(reconciler.Plan(Doc("lan"), RuntimeFacts.None).Actionable);

        NetnsFixture.Ip($"netns exec {ns.Name} nft add rule inet ipoe input tcp dport 23 accept");

        ResourceDiff drift = Assert.Single(reconciler.Plan(Doc("lan"), RuntimeFacts.None).Actionable);
        Assert.Equal((ResourceKind.Firewall, DiffOutcome.Update), (drift.Kind, drift.Outcome));
        Assert.StartsWith("drift", drift.Reason, StringComparison.Ordinal);
        reconciler.Reconcile(Doc("lan"), RuntimeFacts.None);
        Assert.Equal(applied, NetnsFixture.Ip($"netns exec {ns.Name} nft list table inet ipoe"));
    }

    [NetnsFact]
    public void OtherTables_AreNeverTouched()
    {
        using var ns = new NetnsFixture();
        NetnsFixture.Ip($"netns exec {ns.Name} nft add table ip users");
        NetnsFixture.Ip($"netns exec {ns.Name} nft add chain ip users c");
        NetnsFixture.Ip($"netns exec {ns.Name} nft add rule ip users c tcp dport 80 accept");
        string before = NetnsFixture.Ip($"netns exec {ns.Name} nft list table ip users");
        using var kernel = new NetlinkKernel(NetworkNamespace.Named(ns.Name));

        new Reconciler(kernel).Reconcile(Doc("lan"), RuntimeFacts.None);
        new Reconciler(kernel).Reconcile(Doc("wan"), RuntimeFacts.None);

        Assert.Equal(before, NetnsFixture.Ip($"netns exec {ns.Name} nft list table ip users"));
    }

    [NetnsFact]
    public void RefusedRule_IsNamed_AndTheTableStaysAsItWas()
    {
        using var ns = new NetnsFixture();
        using var firewall = new NftFirewall(NetworkNamespace.Named(ns.Name), ns.Name);
        CompiledFirewall good = FirewallCompiler.Compile(Doc("lan"), RuntimeFacts.None);
        firewall.Apply(good.Transaction, good.Fingerprint);
        string before = NetnsFixture.Ip($"netns exec {ns.Name} nft list table inet ipoe");
        string bad = good.Transaction[..^2]
            + ",{\"add\":{\"rule\":{\"family\":\"inet\",\"table\":\"ipoe\",\"chain\":\"input\",\"comment\":\"bad-rule\",\"expr\":[{\"jump\":{\"target\":\"no-such-chain\"}}]}}}"
            + ",{\"add\":{\"rule\":{\"family\":\"inet\",\"table\":\"ipoe\",\"chain\":\"input\",\"comment\":\"after-it\",\"expr\":[{\"accept\":null}]}}}]}";

        var e = Assert.Throws<FirewallRefusedException>(() => firewall.Apply(bad, "x"));

        Assert.Equal("bad-rule", e.Rule);
        Assert.Contains("bad-rule", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, NetnsFixture.Ip($"netns exec {ns.Name} nft list table inet ipoe"));
    }

    [NetnsFact]
    public void Ping_FromTheLanIsAnswered_FromTheWanIsDropped()
    {
        using var rtr = new NetnsFixture();
        using var host = new NetnsFixture();
        rtr.InNs($"link set v1 name p0 netns {host.Name}");
        host.InNs("addr add 192.0.2.2/24 dev p0");
        host.InNs("link set p0 up");
        using var kernel = new NetlinkKernel(NetworkNamespace.Named(rtr.Name));

        new Reconciler(kernel).Reconcile(Doc("lan"), RuntimeFacts.None);
        Assert.True(Ping(host, "192.0.2.1"), "the router answers its LAN");

        new Reconciler(kernel).Reconcile(Doc("wan"), RuntimeFacts.None);
        Assert.False(Ping(host, "192.0.2.1"), "the router drops echo requests from the WAN (default policy)");
    }

    /// <summary>One ping from inside <paramref name="from"/>, one second to answer.</summary>
    private static bool Ping(NetnsFixture from, string address)
    {
        var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "netns", "exec", from.Name, "ping", "-c", "1", "-W", "1", address })
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0;
    }
}
