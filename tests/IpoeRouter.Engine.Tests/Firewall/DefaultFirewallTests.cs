using System.Net;
using System.Text.Json.Nodes;
using IpoeRouter.Engine.Firewall;
using IpoeRouter.Engine.Planning;
using IpoeRouter.Model;
using IpoeRouter.Model.Yaml;
using Xunit;

namespace IpoeRouter.Engine.Tests.Firewall;

/// <summary>The default policy's holes for the WAN's DHCP clients: only answers shaped like a server's come in.</summary>
public sealed class DefaultFirewallTests
{
    private const string Doc = """
        version: 1
        interfaces:
          - { name: wan0, role: wan, dhcp4: true }
          - { name: lan0, role: lan, addresses: [192.0.2.1/24] }
        """;

    private static RouterDocument Document => DocumentLoader.Load(Doc, "doc.yaml").Effective;

    [Fact]
    public void Rules_Dhcpv6Client_OnlyFromLinkLocalServerPort547()
    {
        FirewallRule rule = Assert.Single(DefaultFirewall.Rules(Document), r => r.Name == "default-in-dhcpv6-client-wan0");

        Assert.Equal(FirewallFamily.Ip6, rule.Family);
        Assert.Equal("wan0", rule.InputInterface);
        Assert.Equal("udp", rule.Protocol);
        Assert.Equal(new PrefixMatch(IPNetwork.Parse("fe80::/10")), rule.Source);
        Assert.Equal([new PortRange(547, 547)], rule.SourcePorts);
        Assert.Equal([new PortRange(546, 546)], rule.DestinationPorts);
        Assert.Equal(RuleVerdict.Accept, rule.Action);
    }

    [Fact]
    public void Rules_Dhcpv4Client_OnlyFromServerPort67()
    {
        FirewallRule rule = Assert.Single(DefaultFirewall.Rules(Document), r => r.Name == "default-in-dhcp4-client-wan0");

        Assert.Equal(FirewallFamily.Ip, rule.Family);
        Assert.Equal("wan0", rule.InputInterface);
        Assert.Equal("udp", rule.Protocol);
        Assert.Equal([new PortRange(67, 67)], rule.SourcePorts);
        Assert.Equal([new PortRange(68, 68)], rule.DestinationPorts);
    }

    [Fact]
    public void Compile_DhcpClientRules_MatchSourceAddressAndPortsInTheTransaction()
    {
        CompiledFirewall fw = FirewallCompiler.Compile(Document, RuntimeFacts.None);

        string v6 = RuleExpressions(fw, "default-in-dhcpv6-client-wan0");
        Assert.Contains("{\"protocol\":\"ip6\",\"field\":\"saddr\"}},\"right\":{\"prefix\":{\"addr\":\"fe80::\",\"len\":10}}", v6, StringComparison.Ordinal);
        Assert.Contains("\"field\":\"sport\"}},\"right\":547", v6, StringComparison.Ordinal);
        Assert.Contains("\"field\":\"dport\"}},\"right\":546", v6, StringComparison.Ordinal);

        string v4 = RuleExpressions(fw, "default-in-dhcp4-client-wan0");
        Assert.Contains("\"field\":\"sport\"}},\"right\":67", v4, StringComparison.Ordinal);
        Assert.Contains("\"field\":\"dport\"}},\"right\":68", v4, StringComparison.Ordinal);
    }

    /// <summary>The compact JSON of the expressions of the rule whose comment is <paramref name="comment"/>.</summary>
    private static string RuleExpressions(CompiledFirewall fw, string comment)
    {
        JsonArray commands = JsonNode.Parse(fw.Transaction)!["nftables"]!.AsArray();
        JsonNode rule = Assert.Single(commands, c => c?["add"]?["rule"]?["comment"]?.GetValue<string>() == comment)!["add"]!["rule"]!;
        return rule["expr"]!.ToJsonString();
    }
}
