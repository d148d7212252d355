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
}
