using System.Net;
using IpoeRouter.Engine.Firewall;
using IpoeRouter.Engine.Planning;
using IpoeRouter.Lab;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Linux.Nft;
using IpoeRouter.Model;
using IpoeRouter.Model.Yaml;
using Xunit;

namespace IpoeRouter.Engine.Tests.Netns;

/// <summary>The compiled firewall against the real nftables (libnftables) in a namespace; the result read with the nft CLI.</summary>
public sealed class FirewallNamespaceTests
{
    private static RouterDocument Example(string name) =>
        DocumentLoader.Load(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", name)), name).Effective;

    private static string Nft(NetnsFixture ns, string json, bool check = false) =>
        NetworkNamespace.Named(ns.Name).Run(() =>
        {
            using var nft = new NftContext();
            return nft.Run(json, check);
        });

    private static string Listing(NetnsFixture ns) => NetnsFixture.Ip($"netns exec {ns.Name} nft list table inet ipoe");

    public static TheoryData<string> Examples() => ["flets-transix-hgw.yaml", "flets-transix-west.yaml", "minimal.yaml"];

    [NetnsTheory]
    [MemberData(nameof(Examples))]
    public void Example_CompilesToATransactionNftAcceptsAndApplies(string example)
    {
        using var ns = new NetnsFixture();
        var facts = new RuntimeFacts { DelegatedPrefixes = new Dictionary<string, IPNetwork> { ["hgw"] = IPNetwork.Parse("2001:db8:0:10::/60"), ["upstream"] = IPNetwork.Parse("2001:db8:0:20::/60") } };
        CompiledFirewall fw = FirewallCompiler.Compile(Example(example), facts);
        Assert.False(fw.IsBlocked, string.Join("; ", fw.Blocking));

        Nft(ns, fw.Transaction, check: true);
        Assert.DoesNotContain("inet ipoe", NetnsFixture.Ip($"netns exec {ns.Name} nft list tables"), StringComparison.Ordinal);
        Nft(ns, fw.Transaction);

        string listing = Listing(ns);
        Assert.Contains("type filter hook input priority filter; policy drop;", listing, StringComparison.Ordinal);
        Assert.Contains("tcp option maxseg size set rt mtu", listing, StringComparison.Ordinal);
    }

    [NetnsFact]
    public void SeedExample_TranslatesTheSeedsRules()
    {
        using var ns = new NetnsFixture();
        Nft(ns, FirewallCompiler.Compile(Example("flets-transix-hgw.yaml"), RuntimeFacts.None).Transaction);

        string listing = Listing(ns);
        Assert.Contains("iifname \"enp1s0\" udp dport 546 accept comment \"in-dhcpv6-client\"", listing, StringComparison.Ordinal);
        Assert.Contains("ip6 saddr fe80::/10", listing, StringComparison.Ordinal);
        Assert.Contains("tcp flags & rst == rst drop", listing, StringComparison.Ordinal);
        Assert.Contains("meter icmpflood-drop-ip6 size 65535 { ip6 saddr timeout 1m limit rate over 5/second }", listing, StringComparison.Ordinal);
        Assert.Contains("log prefix \"dropped: \" drop", listing, StringComparison.Ordinal);
        Assert.Contains("jump logdrop", listing, StringComparison.Ordinal);
        Assert.Contains("policy drop", listing, StringComparison.Ordinal);
    }

    [NetnsFact]
    public void NoRulesDeclared_GetsTheDefaultPolicy_NeverAnOpenRouter()
    {
        using var ns = new NetnsFixture();
        Nft(ns, FirewallCompiler.Compile(Example("minimal.yaml"), RuntimeFacts.None).Transaction);

        string listing = Listing(ns);
        Assert.Contains("chain input {\n\t\ttype filter hook input priority filter; policy drop;", listing, StringComparison.Ordinal);
        Assert.Contains("chain forward {\n\t\ttype filter hook forward priority filter; policy drop;", listing, StringComparison.Ordinal);
        Assert.Contains("iifname \"lan0\" accept comment \"default-fwd-lan-lan0\"", listing, StringComparison.Ordinal);
        Assert.Contains("iifname \"wan0\" ip6 saddr fe80::/10 udp sport 547 udp dport 546 accept", listing, StringComparison.Ordinal);
        Assert.Contains("ct state established,related accept comment \"default-fwd-established\"", listing, StringComparison.Ordinal);
    }

    [NetnsFact]
    public void RefusedRule_LeavesThePreviousTableByteIdentical()
    {
        using var ns = new NetnsFixture();
        Nft(ns, FirewallCompiler.Compile(Example("minimal.yaml"), RuntimeFacts.None).Transaction);
        string before = Listing(ns);
        // A new table whose last rule the kernel refuses: the transaction deletes the old table first,
        // yet nothing of it may take effect.
        string transaction = FirewallCompiler.Compile(Example("flets-transix-hgw.yaml"), RuntimeFacts.None).Transaction;
        string refused = transaction[..^2] + ",{\"add\":{\"rule\":{\"family\":\"inet\",\"table\":\"ipoe\",\"chain\":\"input\",\"expr\":[{\"jump\":{\"target\":\"no-such-chain\"}}]}}}]}";

        var e = Assert.Throws<NftException>(() => Nft(ns, refused));

        Assert.Contains("Could not process rule", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, Listing(ns));
    }

    [NetnsFact]
    public void DropRuleWithUnresolvedBinding_HoldsTheTableBack_AcceptRuleIsOnlyLeftOut()
    {
        RouterDocument doc = Example("minimal.yaml")
            .WithFirewallRule(new FirewallRule("to-lan", "forward") { Destination = new DelegatedPrefixMatch("upstream"), Action = RuleVerdict.Accept });
        CompiledFirewall open = FirewallCompiler.Compile(doc, RuntimeFacts.None);
        Assert.False(open.IsBlocked);
        Assert.Single(open.Omitted);

        CompiledFirewall held = FirewallCompiler.Compile(doc.WithFirewallRule(new FirewallRule("no-from-delegated", "input") { Source = new DelegatedPrefixMatch("upstream"), Action = RuleVerdict.Drop }), RuntimeFacts.None);
        Assert.True(held.IsBlocked);
        Assert.Contains("no-from-delegated", held.Blocking[0], StringComparison.Ordinal);
    }
}
