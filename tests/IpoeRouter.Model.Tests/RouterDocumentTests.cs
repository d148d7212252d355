using Xunit;

namespace IpoeRouter.Model.Tests;

public sealed class RouterDocumentTests
{
    private static readonly SysctlSetting s_forwardingOn = new("net.ipv6.conf.all.forwarding", "1");

    private static RouterDocument With(Interface iface, bool forwarding) =>
        forwarding ? RouterDocument.Empty.WithInterface(iface).WithSysctl(s_forwardingOn) : RouterDocument.Empty.WithInterface(iface);

    [Fact]
    public void AcceptRaValueFor_WanRoleWithForwarding_IsTwo()
    {
        var wan = new Interface("enp1s0") { Role = InterfaceRole.Wan };
        Assert.Equal(2, With(wan, forwarding: true).AcceptRaValueFor(wan));
    }

    [Fact]
    public void AcceptRaValueFor_AcceptRaTrueWithForwarding_IsTwo()
    {
        var iface = new Interface("enp1s0") { AcceptRa = true };
        Assert.Equal(2, With(iface, forwarding: true).AcceptRaValueFor(iface));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AcceptRaValueFor_AcceptRaFalse_IsZero(bool forwarding)
    {
        var wan = new Interface("enp1s0") { Role = InterfaceRole.Wan, AcceptRa = false };
        Assert.Equal(0, With(wan, forwarding).AcceptRaValueFor(wan));
    }

    [Fact]
    public void AcceptRaValueFor_WanWithoutForwarding_IsStillTwo()
    {
        var wan = new Interface("enp1s0") { Role = InterfaceRole.Wan };
        Assert.Equal(2, With(wan, forwarding: false).AcceptRaValueFor(wan));
    }

    [Fact]
    public void AcceptRaValueFor_LanWithNothingDeclared_IsNull()
    {
        var lan = new Interface("enp2s0") { Role = InterfaceRole.Lan };
        Assert.Null(With(lan, forwarding: true).AcceptRaValueFor(lan));
    }

    [Fact]
    public void AcceptRaValueFor_LanWithAcceptRaTrueWithoutForwarding_IsStillTwo()
    {
        var lan = new Interface("enp2s0") { Role = InterfaceRole.Lan, AcceptRa = true };
        Assert.Equal(2, With(lan, forwarding: false).AcceptRaValueFor(lan));
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData(" 1 ", true)]
    [InlineData("2", true)]
    [InlineData("0", false)]
    [InlineData(" 0", false)]
    public void Ipv6ForwardingOn_AllForwardingValue_IsOnUnlessZero(string value, bool expected) =>
        Assert.Equal(expected, RouterDocument.Empty.WithSysctl(new SysctlSetting("net.ipv6.conf.all.forwarding", value)).Ipv6ForwardingOn);

    [Fact]
    public void Ipv6ForwardingOn_OnlyDefaultOrIpv4Forwarding_IsOff()
    {
        RouterDocument doc = RouterDocument.Empty
            .WithSysctl(new SysctlSetting("net.ipv6.conf.default.forwarding", "1"))
            .WithSysctl(new SysctlSetting("net.ipv4.ip_forward", "1"));
        Assert.False(doc.Ipv6ForwardingOn);
    }

    [Fact]
    public void WithFirewallRule_NewRuleAtIndex_IsInsertedThere_ExistingIsReplacedInPlace()
    {
        RouterDocument doc = RouterDocument.Empty
            .WithFirewallRule(new FirewallRule("a", "input"))
            .WithFirewallRule(new FirewallRule("c", "input"))
            .WithFirewallRule(new FirewallRule("b", "input"), index: 1)
            .WithFirewallRule(new FirewallRule("a", "forward"), index: 2);

        Assert.Equal(["a", "b", "c"], doc.FirewallRules.Select(r => r.Name));
        Assert.Equal("forward", doc.FirewallRules[0].Chain);
    }

    [Fact]
    public void Documents_BuiltTheSameWay_AreEqual()
    {
        RouterDocument Build() => RouterDocument.Empty
            .WithInterface(new Interface("enp2s0") { Addresses = [new StaticAddress(new InterfaceAddress(System.Net.IPAddress.Parse("192.0.2.1"), 24))] })
            .WithSysctl(s_forwardingOn);

        Assert.Equal(Build(), Build());
        Assert.Equal(Build().GetHashCode(), Build().GetHashCode());
        Assert.NotEqual(Build(), Build().WithoutSysctl(s_forwardingOn.Name));
    }

    [Theory]
    [InlineData("net.ipv6.conf.enp1s0.accept_ra", "enp1s0")]
    [InlineData("net.ipv4.conf.all.rp_filter", "all")]
    [InlineData("net.ipv4.ip_forward", null)]
    [InlineData("kernel.conf.x.y.z", null)]
    public void ConfDevice_SysctlName_IsTheDeviceComponent(string name, string? device) =>
        Assert.Equal(device, new SysctlSetting(name, "1").ConfDevice);

    [Theory]
    [InlineData("net.ipv6.conf.all.forwarding", true)]
    [InlineData("net.ipv6.conf.enp1s0.accept_ra", true)]
    [InlineData("kernel.panic", true)]
    [InlineData("net..x", false)]
    [InlineData("../etc", false)]
    [InlineData("net/ipv4/ip_forward", false)]
    [InlineData("forwarding", false)]
    [InlineData("net.ipv4.ip forward", false)]
    [InlineData("", false)]
    public void IsValidName_SysctlName_AcceptsOnlyDottedWords(string name, bool expected) =>
        Assert.Equal(expected, SysctlSetting.IsValidName(name));
}
