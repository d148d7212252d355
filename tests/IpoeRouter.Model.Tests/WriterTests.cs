using IpoeRouter.Model.Yaml;
using Xunit;

namespace IpoeRouter.Model.Tests;

public sealed class WriterTests
{
    [Fact]
    public void FullDocument_IsValid()
    {
        LoadedDocument loaded = DocumentLoader.Check(FullDocument.Build());

        Assert.Empty(loaded.Warnings);
    }

    [Fact]
    public void FullDocument_WrittenAndRead_IsEqual()
    {
        RouterDocument original = FullDocument.Build();

        DocumentReadResult read = DocumentReader.Read(DocumentWriter.Write(original), "written.yaml");

        Assert.Empty(read.Diagnostics);
        Assert.Equal(original, read.Document);
    }

    [Fact]
    public void FullDocument_WrittenAndLoaded_IsAcceptedAndEqual()
    {
        RouterDocument original = FullDocument.Build();

        LoadedDocument loaded = DocumentLoader.Load(DocumentWriter.Write(original), "written.yaml");

        Assert.Equal(original, loaded.Declared);
        Assert.Equal(original, loaded.Effective);
        Assert.Empty(loaded.Warnings);
    }

    [Fact]
    public void FullDocument_WrittenTwice_GivesTheSameText()
    {
        string first = DocumentWriter.Write(FullDocument.Build());
        string second = DocumentWriter.Write(DocumentReader.Read(first, "written.yaml").Document!);

        Assert.Equal(first, second);
    }

    [Fact]
    public void FullDocument_EveryBindingKind_SurvivesTheRoundTrip()
    {
        RouterDocument doc = DocumentReader.Read(DocumentWriter.Write(FullDocument.Build()), "written.yaml").Document!;

        Assert.Contains(doc.Interfaces.SelectMany(i => i.Addresses), a => a is DelegatedAddress { Delegation: "hgw", SubnetId: 2 });
        Assert.IsType<StaticRemote>(doc.Tunnels[0].Remote);
        Assert.IsType<InterfaceLocal>(doc.Tunnels[0].Local);
        Assert.IsType<FqdnRemote>(doc.Tunnels[1].Remote);
        Assert.IsType<StaticLocal>(doc.Tunnels[1].Local);
        Assert.Equal(new DiscoveredRemote(RemoteDiscovery.Dhcpv6), doc.Tunnels[2].Remote);
        Assert.False(doc.Tunnels[2].Exist);
        AddressMatch?[] matches = [.. doc.FirewallRules.SelectMany(r => new[] { r.Source, r.Destination })];
        Assert.Contains(matches, m => m is DelegatedPrefixMatch { Delegation: "hgw" });
        Assert.Contains(matches, m => m is LanSubnetMatch { Interface: "enp2s0" });
        Assert.Contains(matches, m => m is TunnelRemoteMatch { Tunnel: "ip6tnl1" });
        Assert.Contains(matches, m => m is PrefixMatch);
        Assert.Contains(doc.FirewallRules, r => r.Limit is { Over: true, PerSource: true, Burst: 10 });
        Assert.Contains(doc.FirewallRules, r => r.TcpFlags is { Set.Count: 1 });
        Assert.Contains(doc.FirewallRules, r => r.Log is { Prefix: "ip6tables[ICMP-flood]: " });
    }

    [Fact]
    public void Write_Duration_UsesUnits()
    {
        RouterDocument doc = RouterDocument.Empty.WithDhcpScope(new DhcpScope("home", "enp2s0") { LeaseTime = TimeSpan.FromSeconds(5400) });

        Assert.Contains("leaseTime: 1h30m", DocumentWriter.Write(doc), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_EmptyDocument_IsOnlyTheVersion() =>
        Assert.Equal("version: 1\n", DocumentWriter.Write(RouterDocument.Empty).ReplaceLineEndings("\n"));

    [Theory]
    [InlineData("null")]
    [InlineData("~")]
    public void Write_StringThatYamlReadsAsNull_RoundTrips(string value)
    {
        RouterDocument doc = RouterDocument.Empty.WithSysctl(new SysctlSetting("kernel.core_pattern", value));

        Assert.Equal(doc, DocumentReader.Read(DocumentWriter.Write(doc), "x.yaml").Document);
    }

    [Theory]
    [InlineData("a: b")]
    [InlineData("#x")]
    [InlineData(" leading")]
    [InlineData("'single'")]
    [InlineData("yes")]
    [InlineData("4096 131072 6291456")]
    public void Write_StringThatNeedsQuoting_RoundTrips(string value)
    {
        RouterDocument doc = RouterDocument.Empty.WithSysctl(new SysctlSetting("kernel.core_pattern", value));

        Assert.Equal(doc, DocumentReader.Read(DocumentWriter.Write(doc), "x.yaml").Document);
    }

    [Fact]
    public void Write_TcpFlagsWithEmptySet_RoundTrips()
    {
        RouterDocument doc = RouterDocument.Empty.WithFirewallRule(
            new FirewallRule("in-no-rst", "input") { Protocol = "tcp", TcpFlags = new TcpFlagsMatch([TcpFlag.Rst], []), Action = RuleVerdict.Drop });

        Assert.Equal(doc, DocumentReader.Read(DocumentWriter.Write(doc), "x.yaml").Document);
    }
}
