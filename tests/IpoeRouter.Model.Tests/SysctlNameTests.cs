using IpoeRouter.Model;
using IpoeRouter.Model.Yaml;
using Xunit;

namespace IpoeRouter.Model.Tests;

/// <summary>sysctl(8)'s two spellings, and a VLAN's dot inside an interface name.</summary>
public sealed class SysctlNameTests
{
    [Theory]
    [InlineData("net.ipv4.ip_forward", "net.ipv4.ip_forward")]
    [InlineData("net/ipv4/ip_forward", "net.ipv4.ip_forward")]
    [InlineData("net/ipv6/conf/enp1s0.100/accept_ra", "net.ipv6.conf.enp1s0/100.accept_ra")]
    [InlineData("net.ipv6.conf.enp1s0/100.accept_ra", "net.ipv6.conf.enp1s0/100.accept_ra")]
    public void Canonical_EitherSpelling_GivesTheDottedForm(string given, string expected) =>
        Assert.Equal(expected, SysctlSetting.Canonical(given));

    [Fact]
    public void VlanKey_NamesTheVlanAndItsProcFile()
    {
        var s = new SysctlSetting("net.ipv6.conf.enp1s0/100.accept_ra", "2");
        Assert.Equal("enp1s0.100", s.ConfDevice);
        Assert.Equal("/proc/sys/net/ipv6/conf/enp1s0.100/accept_ra", s.ProcPath);
        Assert.True(s.IsConfKey("ipv6", "enp1s0.100", "accept_ra"));
    }

    [Fact]
    public void Read_SlashFormKey_IsStoredDotted()
    {
        RouterDocument doc = DocumentLoader.Load("version: 1\nsysctl:\n  - { name: net/ipv6/conf/enp1s0.100/forwarding, value: 1 }\n", "t.yaml").Declared;
        Assert.Equal("net.ipv6.conf.enp1s0/100.forwarding", Assert.Single(doc.Sysctl).Name);
    }

    [Fact]
    public void VlanWanInterface_OwnsItsAcceptRaKey()
    {
        const string text = """
            version: 1
            interfaces:
              - { name: enp1s0.100, role: wan }
            sysctl:
              - { name: net.ipv6.conf.enp1s0/100.accept_ra, value: 0 }
            """;
        var e = Assert.Throws<DocumentException>(() => DocumentLoader.Load(text, "t.yaml"));
        Assert.Equal(DiagnosticIds.OwnershipConflict, e.ErrorId);
    }

    [Fact]
    public void PerInterfaceForwarding_CorrectsAcceptRaOfThatInterface()
    {
        const string text = """
            version: 1
            sysctl:
              - { name: net.ipv6.conf.enp1s0.forwarding, value: 1 }
              - { name: net.ipv6.conf.enp1s0.accept_ra, value: 1 }
            """;
        LoadedDocument loaded = DocumentLoader.Load(text, "t.yaml");
        Assert.Equal(DiagnosticIds.AcceptRaIgnoredWithForwarding, Assert.Single(loaded.Warnings).Id);
        Assert.Equal("2", loaded.Effective.Sysctl[1].Value);
    }
}
