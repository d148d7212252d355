using IpoeRouter.Model;
using IpoeRouter.Model.Import;
using IpoeRouter.Model.Yaml;
using Xunit;

namespace IpoeRouter.Model.Tests;

public sealed class Ip6tablesImportTests
{
    private static string Seed => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Corpus", "seed-ip6tables.conf"));

    [Fact]
    public void SeedFile_EveryLineIsAccountedFor_NoneIsNotExpressible()
    {
        FirewallImport import = Ip6tablesSaveImporter.Import(Seed);

        int meaningful = Seed.Split('\n').Count(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#'));
        Assert.Equal(meaningful, import.Lines.Count);
        Assert.Empty(import.Problems);
        int appendLines = Seed.Split('\n').Count(l => l.StartsWith("-A ", StringComparison.Ordinal));
        Assert.Equal(appendLines - 1, import.Rules.Count); // the recent --set line is absorbed into the meter
        Assert.Equal(ImportOutcome.Absorbed, Assert.Single(import.Lines, l => l.Text.Contains("--set", StringComparison.Ordinal)).Outcome);
    }

    [Fact]
    public void SeedFile_PoliciesAndKeyRules_AreTranslated()
    {
        FirewallImport import = Ip6tablesSaveImporter.Import(Seed);
        FirewallRule Rule(string name) => import.Rules.Single(r => r.Name == name);

        Assert.Equal((ChainPolicy.Drop, ChainPolicy.Drop, ChainPolicy.Drop), (import.Policy.Input!.Value, import.Policy.Forward!.Value, import.Policy.Output!.Value));
        Assert.Equal(("enp1s0", "udp", 546, RuleVerdict.Accept), (Rule("input-3").InputInterface!, Rule("input-3").Protocol!, Rule("input-3").DestinationPorts[0].First, Rule("input-3").Action!.Value));
        Assert.Equal([ConnectionState.Related, ConnectionState.Established], Rule("input-4").ConnectionStates);
        Assert.Equal("fe80::/10", Rule("input-16").Source!.ToString());
        Assert.Equal([130], Rule("input-16").Icmpv6Types);
        Assert.Equal(new TcpFlagsMatch([TcpFlag.Rst], [TcpFlag.Rst]), Rule("input-25").TcpFlags);
        Assert.Equal("logdrop", Rule("input-26").Jump);

        FirewallRule flood = Rule("icmpflood-2");
        Assert.Equal(new RateLimit(5, RateUnit.Second) { Over = true, PerSource = true }, flood.Limit);
        Assert.Equal("ip6tables[ICMP-flood]: ", flood.Log!.Prefix);
        Assert.Equal(RuleVerdict.Drop, Rule("icmpflood-3").Action);
        Assert.Equal(RuleVerdict.Accept, Rule("icmpflood-4").Action);
        Assert.Equal(("dropped: ", (RuleVerdict?)null), (Rule("logdrop-1").Log!.Prefix, Rule("logdrop-1").Action));
        Assert.All(import.Rules, r => Assert.Equal(FirewallFamily.Ip6, r.Family));
    }

    [Fact]
    public void SeedFile_ImportedRules_MakeAValidDocument()
    {
        FirewallImport import = Ip6tablesSaveImporter.Import(Seed);
        RouterDocument doc = RouterDocument.Empty with { FirewallRules = [.. import.Rules], Firewall = import.Policy };

        LoadedDocument loaded = DocumentLoader.Check(doc);

        Assert.Empty(loaded.Warnings);
        Assert.Equal(doc, DocumentLoader.Load(DocumentWriter.Write(doc), "imported.yaml").Declared);
    }

    [Fact]
    public void LinesThatCannotBeExpressed_AreReportedByLine_NotDropped()
    {
        const string text = """
            *filter
            :INPUT DROP [0:0]
            -A INPUT ! -i lo -j DROP
            -A INPUT -m hashlimit --hashlimit 5/sec -j ACCEPT
            -A INPUT -p ipv6-icmp --icmpv6-type 1/3 -j ACCEPT
            -A INPUT -i lo -j ACCEPT
            COMMIT
            *nat
            -A POSTROUTING -j MASQUERADE
            COMMIT
            """;

        FirewallImport import = Ip6tablesSaveImporter.Import(text);

        Assert.Equal([3, 4, 5, 8, 9, 10], import.Problems.Select(p => p.Line));
        Assert.Contains("negation", import.Problems.First().Note, StringComparison.Ordinal);
        Assert.Equal("input-4", Assert.Single(import.Rules).Name);
    }
}
