using IpoeRouter.Model;
using IpoeRouter.Model.Yaml;
using Xunit;

namespace IpoeRouter.Model.Tests;

public sealed class ExampleTests
{
    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (string f in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "examples"), "*.yaml").Order())
        {
            data.Add(Path.GetFileName(f));
        }

        return data;
    }

    private static string Text(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", name));

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_Loads_WithoutErrorsOrWarnings(string name)
    {
        LoadedDocument loaded = DocumentLoader.Load(Text(name), name);
        Assert.Empty(loaded.Warnings);
        Assert.NotEmpty(loaded.Declared.Interfaces);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_WrittenAndReadAgain_IsEqualAndTextIsStable(string name)
    {
        RouterDocument first = DocumentLoader.Load(Text(name), name).Declared;
        string written = DocumentWriter.Write(first);
        RouterDocument second = DocumentLoader.Load(written, "rewritten.yaml").Declared;
        Assert.Equal(first, second);
        Assert.Equal(written, DocumentWriter.Write(second));
    }

    [Fact]
    public void SeedExample_HasTheSeedsDelegationTunnelAndScope()
    {
        RouterDocument doc = DocumentLoader.Load(Text("flets-transix-hgw.yaml"), "seed").Declared;

        PrefixDelegation pd = Assert.Single(doc.PrefixDelegations);
        Assert.Equal(60, pd.PrefixLength);
        Downstream lan = Assert.Single(pd.Downstreams);
        Assert.Equal(("enp2s0", 1), (lan.Interface, lan.SubnetId));

        Tunnel tunnel = Assert.Single(doc.Tunnels);
        Assert.Equal(AftrCatalog.AddressOf(KnownAftr.TransixEast), Assert.IsType<StaticRemote>(tunnel.Remote).Address);
        Assert.Equal("enp1s0", Assert.IsType<InterfaceLocal>(tunnel.Local).Interface);

        DhcpScope scope = Assert.Single(doc.DhcpScopes);
        Assert.Equal("192.168.1.200-192.168.1.250", scope.Range!.ToString());
        Assert.Equal(["yasundial.org"], scope.SearchList);

        Assert.Equal(ChainPolicy.Drop, doc.Firewall!.Input);
        Assert.True(doc.Ipv6ForwardingOn);
        Assert.Equal(2, doc.AcceptRaValueFor(doc.Interfaces[0]));
    }

    [Fact]
    public void SeedExample_FirewallCoversEveryIcmpv6TypeTheSeedAccepted()
    {
        RouterDocument doc = DocumentLoader.Load(Text("flets-transix-hgw.yaml"), "seed").Declared;
        int[] seedTypes = [1, 2, 3, 4, 133, 134, 135, 136, 137, 141, 142, 130, 131, 132, 143, 148, 149, 151, 152, 153];
        var accepted = doc.FirewallRules.Where(r => r.Chain == "input" && r.Action == RuleVerdict.Accept).SelectMany(r => r.Icmpv6Types).ToHashSet();
        Assert.All(seedTypes, t => Assert.Contains(t, accepted));
    }

    /// <summary>
    /// Issue 6: every DHCP and DNS setting of the seed's dnsmasq.d-00.ipv4.conf (copied into Corpus) has
    /// its place in the seed example's DhcpScope and DnsForwarder. The conf is read line by line here, so
    /// a setting the example lost (or a new line in the conf) fails the test.
    /// </summary>
    [Fact]
    public void SeedDnsmasqIpv4Settings_AreTheSeedExamplesDhcpScope()
    {
        RouterDocument doc = DocumentLoader.Load(Text("flets-transix-hgw.yaml"), "seed").Declared;
        string conf = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Corpus", "seed-dnsmasq.d-00.ipv4.conf"));
        var settings = conf.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        DhcpScope scope = doc.DhcpScopes.Single();
        DnsForwarder dns = doc.DnsForwarder!;
        foreach (string line in settings)
        {
            string[] kv = line.Split('=', 2);
            string[] v = kv.Length > 1 ? kv[1].Split(',') : [];
            string tagless(int n) => v[n].StartsWith("tag:", StringComparison.Ordinal) ? v[n + 1] : v[n];
            switch (kv[0])
            {
                case "no-resolv": Assert.NotEmpty(dns.Upstreams); break; // upstreams come from the document, not resolv.conf
                case "domain": Assert.Equal(v[0], scope.Domain); break;
                case "interface": Assert.Equal(v[0], scope.Interface); Assert.Contains(v[0], dns.Interfaces); break;
                case "dhcp-range": Assert.Equal($"{v[1]}-{v[2]}", scope.Range?.ToString()); Assert.Equal(v[0], "tag:" + scope.Interface); break;
                case "dhcp-option" when tagless(0) == "option:router": Assert.Equal(v[^1], scope.Router?.ToString()); break;
                case "dhcp-option" when tagless(0) == "option:dns-server": Assert.Equal([v[^1]], scope.DnsServers.Select(a => a.ToString())); break;
                case "dhcp-option" when tagless(0) == "option:ntp-server": Assert.Equal([v[^1]], scope.NtpServers.Select(a => a.ToString())); break;
                case "dhcp-option" when tagless(0) == "option:domain-search": Assert.Equal([v[^1]], scope.SearchList); break;
                case "server": Assert.Equal([v[0]], dns.Upstreams.Select(a => a.ToString())); break;
                default: Assert.Fail($"the seed's dnsmasq line '{line}' has no counterpart checked here"); break;
            }
        }

        Assert.Equal(9, settings.Count); // every line above was looked at
    }
}
