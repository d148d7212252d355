using System.Net;
using IpoeRouter.Model.Import;
using Xunit;

namespace IpoeRouter.Model.Tests;

public sealed class NetplanImportTests
{
    private static readonly PrefixDelegation Hgw = new("hgw", "enp1s0")
    {
        PrefixLength = 60,
        Downstreams = [new Downstream("enp2s0", 1)],
    };

    private const string Router = """
        # the router
        network:
          version: 2
          renderer: networkd
          ethernets:
            enp1s0:
              accept-ra: true
              dhcp4: yes
            enp2s0:
              addresses: [192.168.2.1/24, "2409:10:20:31::2/64"]
              wakeonlan: true
          tunnels:
            ip6tnl1:
              mode: ipip6
              remote: 2404:8e00::feed:101
              local: 2409:10:20:3000::abcd
              mtu: 1460
        """;

    [Fact]
    public void Router_EveryLineAccounted_WithItsNumber()
    {
        SourceImport import = NetplanImporter.Import(new SourceText("01.yaml", Router), [Hgw]);

        ImportAssert.EveryLineOnce("01.yaml", Router, import.Lines);
        Assert.Equal(ImportOutcome.CommentOrBlank, import.At(1).Outcome);
        Assert.Equal(ImportOutcome.Absorbed, import.At(4).Outcome); // renderer
        Assert.Equal(ImportOutcome.NotExpressible, import.At(11).Outcome); // wakeonlan: unknown key
        Assert.Contains("wakeonlan", import.At(11).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void TunnelLocal_HardCoded_BecomesBindingToTheDelegationsWan()
    {
        SourceImport import = NetplanImporter.Import(new SourceText("01.yaml", Router), [Hgw]);

        Tunnel tunnel = Assert.Single(import.Fragment.Tunnels);
        Assert.Equal(new InterfaceLocal("enp1s0"), tunnel.Local);
        Assert.Equal(new StaticRemote(IPAddress.Parse("2404:8e00::feed:101")), tunnel.Remote);
        Assert.Equal(1460, tunnel.Mtu);
        Assert.Equal(ImportOutcome.Imported, import.At(16).Outcome);
        Assert.Contains("fromInterface: enp1s0", import.At(16).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void TunnelLocal_NoDelegation_BindsToTheOnlyInterfaceTakingRas()
    {
        SourceImport import = NetplanImporter.Import(new SourceText("01.yaml", Router), []);

        Assert.Equal(new InterfaceLocal("enp1s0"), Assert.Single(import.Fragment.Tunnels).Local);
    }

    [Fact]
    public void LanAddress_InTheDelegatedSubnet_BecomesDelegatedAddress()
    {
        SourceImport import = NetplanImporter.Import(new SourceText("01.yaml", Router), [Hgw]);

        Interface lan = import.Fragment.Interfaces.Single(i => i.Name == "enp2s0");
        Assert.Equal(
            [new StaticAddress(new InterfaceAddress(IPAddress.Parse("192.168.2.1"), 24)), new DelegatedAddress("hgw", 1, IPAddress.Parse("::2"))],
            lan.Addresses);
    }

    [Fact]
    public void LanAddress_InAnotherSubnet_StaysFixed()
    {
        var other = Hgw with { Downstreams = [new Downstream("enp2s0", 2)] };
        SourceImport import = NetplanImporter.Import(new SourceText("01.yaml", Router), [other]);

        Assert.Contains(new StaticAddress(new InterfaceAddress(IPAddress.Parse("2409:10:20:31::2"), 64)), import.Fragment.Interfaces.Single(i => i.Name == "enp2s0").Addresses);
    }

    [Fact]
    public void LanAddress_TheDownstreamsOwnHost_IsAbsorbedIntoTheDelegation()
    {
        const string text = "network:\n  ethernets:\n    enp2s0:\n      addresses:\n        - 2409:10:20:31::1/64\n";
        SourceImport import = NetplanImporter.Import(new SourceText("x.yaml", text), [Hgw]);

        Assert.Empty(Assert.Single(import.Fragment.Interfaces).Addresses);
        Assert.Equal(ImportOutcome.Absorbed, import.At(5).Outcome);
        Assert.Contains("delegation hgw", import.At(5).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Dhcp4No_IsAbsorbedAndNotDeclared()
    {
        const string text = "network:\n  ethernets:\n    enp2s0:\n      dhcp4: no\n";
        SourceImport import = NetplanImporter.Import(new SourceText("x.yaml", text), []);

        Assert.Null(Assert.Single(import.Fragment.Interfaces).Dhcp4);
        Assert.Equal(ImportOutcome.Absorbed, import.At(4).Outcome);
    }

    [Fact]
    public void TunnelOtherThanIpip6_IsNotExpressibleLineByLine()
    {
        const string text = "network:\n  tunnels:\n    he:\n      mode: sit\n      remote: 192.0.2.1\n";
        SourceImport import = NetplanImporter.Import(new SourceText("x.yaml", text), []);

        Assert.Empty(import.Fragment.Tunnels);
        Assert.All(new[] { 3, 4, 5 }, n => Assert.Equal(ImportOutcome.NotExpressible, import.At(n).Outcome));
    }

    [Fact]
    public void TabIndentation_ThrowsSyntaxErrorNamingFileLineAndColumn()
    {
        const string text = "network:\n  ethernets:\n\tenp1s0:\n      dhcp4: yes\n";
        var e = Assert.Throws<IpoeException>(() => NetplanImporter.Import(new SourceText("01-netcfg.yaml", text), []));

        Assert.Equal(ImportErrorIds.ImportSourceSyntaxError, e.ErrorId);
        Assert.Equal("01-netcfg.yaml:3:1", e.Target);
    }
}
