using IpoeRouter.Model.Import;
using Xunit;

namespace IpoeRouter.Model.Tests;

public sealed class LegacySourceLayoutTests
{
    [Theory]
    [InlineData("netplan/01-netcfg.yaml", LegacySourceKind.Netplan)]
    [InlineData("netplan-01-netcfg-focal.yaml", LegacySourceKind.Netplan)]
    [InlineData("etc/wide-dhcpv6/dhcp6c.conf", LegacySourceKind.Dhcp6cConf)]
    [InlineData("default/wide-dhcpv6-client", LegacySourceKind.WideDhcpv6Defaults)]
    [InlineData("default-wide-dhcpv6-client", LegacySourceKind.WideDhcpv6Defaults)]
    [InlineData("dnsmasq.d/00.ipv4.conf", LegacySourceKind.Dnsmasq)]
    [InlineData("dnsmasq.d-01.ipv6.conf", LegacySourceKind.Dnsmasq)]
    [InlineData("sysctl.d/99-router.conf", LegacySourceKind.Sysctl)]
    [InlineData("network/ip6tables.conf", LegacySourceKind.Ip6tables)]
    [InlineData("crontab", LegacySourceKind.Crontab)]
    [InlineData("check-ipoe.sh", LegacySourceKind.Script)]
    [InlineData("wide-dhcpv6/dhcp6c-script", LegacySourceKind.Script)]
    public void Classify_KnownFile_GivesItsKind(string path, LegacySourceKind kind) =>
        Assert.Equal(kind, LegacySourceLayout.Classify(path));

    [Theory]
    [InlineData("README.md")]
    [InlineData("observed-ip-addr.txt")]
    [InlineData("hosts")]
    [InlineData("dnsmasq.d/00.ipv4.conf~")]
    public void Classify_OtherFile_IsNull(string path) => Assert.Null(LegacySourceLayout.Classify(path));
}
