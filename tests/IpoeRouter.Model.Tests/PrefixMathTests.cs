using System.Net;
using Xunit;

namespace IpoeRouter.Model.Tests;

public sealed class PrefixMathTests
{
    private static IPNetwork Net(string text) => IPNetwork.Parse(text);

    [Theory]
    [InlineData("2001:db8:0:10::/60", 0, "2001:db8:0:10::/64")]
    [InlineData("2001:db8:0:10::/60", 1, "2001:db8:0:11::/64")]
    [InlineData("2001:db8:0:10::/60", 15, "2001:db8:0:1f::/64")]
    [InlineData("2001:db8:0:100::/56", 255, "2001:db8:0:1ff::/64")]
    [InlineData("2001:db8::/48", 65535, "2001:db8:0:ffff::/64")]
    [InlineData("2001:db8:0:1::/64", 0, "2001:db8:0:1::/64")]
    public void Subnet64_IdInsideDelegation_GivesThatSlash64(string delegated, long id, string expected) =>
        Assert.Equal(Net(expected), PrefixMath.Subnet64(Net(delegated), id));

    [Theory]
    [InlineData("2001:db8:0:10::/60", 16)]
    [InlineData("2001:db8:0:100::/56", 256)]
    [InlineData("2001:db8:0:1::/64", 1)]
    [InlineData("2001:db8:0:10::/60", -1)]
    public void Subnet64_IdBeyondDelegation_Throws(string delegated, long id) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PrefixMath.Subnet64(Net(delegated), id));

    [Theory]
    [InlineData("192.0.2.0/24")]
    [InlineData("2001:db8::/80")]
    public void Subnet64_NotAnIpv6DelegationOfAtMost64Bits_Throws(string delegated) =>
        Assert.Throws<ArgumentException>(() => PrefixMath.Subnet64(Net(delegated), 0));

    [Theory]
    [InlineData(60, 16)]
    [InlineData(56, 256)]
    [InlineData(48, 65536)]
    [InlineData(64, 1)]
    [InlineData(65, 0)]
    public void SubnetCount_DelegatedLength_IsTwoToTheFreeBits(int length, long count) =>
        Assert.Equal(count, PrefixMath.SubnetCount(length));

    [Theory]
    [InlineData("2001:db8:0:11::/64", "::1", "2001:db8:0:11::1")]
    [InlineData("2001:db8:0:11::/64", "::cafe:0:0:1", "2001:db8:0:11:cafe::1")]
    [InlineData("2001:db8:0:11::/64", "2001:db8:ffff:ffff::2", "2001:db8:0:11::2")]
    public void WithHost_Slash64AndHost_JoinsTheLow64Bits(string subnet, string host, string expected) =>
        Assert.Equal(IPAddress.Parse(expected), PrefixMath.WithHost(Net(subnet), IPAddress.Parse(host)));

    [Theory]
    [InlineData("::1", true)]
    [InlineData("::cafe:0:0:1", true)]
    [InlineData("::ffff:ffff:ffff:ffff", true)]
    [InlineData("2001:db8::1", false)]
    [InlineData("0:0:0:1::", false)]
    [InlineData("fe80::1", false)]
    public void IsInterfaceIdentifier_Address_TrueOnlyForLow64Bits(string host, bool expected) =>
        Assert.Equal(expected, PrefixMath.IsInterfaceIdentifier(IPAddress.Parse(host)));

    [Fact]
    public void IsInterfaceIdentifier_WithScope_IsFalse() =>
        Assert.False(PrefixMath.IsInterfaceIdentifier(IPAddress.Parse("::1%2")));

    [Fact]
    public void IsInterfaceIdentifier_Ipv4_IsFalse() =>
        Assert.False(PrefixMath.IsInterfaceIdentifier(IPAddress.Parse("192.0.2.1")));

    [Theory]
    [InlineData("2001:db8::/32")]
    [InlineData("2001:db8:0:10::/60")]
    [InlineData("192.0.2.0/24")]
    [InlineData("0.0.0.0/0")]
    [InlineData("::/0")]
    [InlineData("198.51.100.7/32")]
    public void TryParsePrefix_NetworkWithoutHostBits_IsAccepted(string text)
    {
        Assert.True(PrefixMath.TryParsePrefix(text, out IPNetwork value));
        Assert.Equal(text, PrefixMath.Format(value));
    }

    [Theory]
    [InlineData("2001:db8::1/32")]
    [InlineData("2001:db8:0:1::1/64")]
    [InlineData("192.0.2.1/24")]
    [InlineData("192.0.2.0/33")]
    [InlineData("2001:db8::/129")]
    [InlineData("192.0.2.0")]
    [InlineData("192.0.2.0/")]
    [InlineData("/24")]
    [InlineData("192.0.2.0/-1")]
    [InlineData("fe80::%eth0/64")]
    [InlineData(null)]
    public void TryParsePrefix_HostBitsSetOrMalformed_IsRefused(string? text) =>
        Assert.False(PrefixMath.TryParsePrefix(text, out _));

    [Theory]
    [InlineData("192.0.2.1")]
    [InlineData("2001:db8::feed:100")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    public void TryParseAddress_PlainAddress_IsAccepted(string text)
    {
        Assert.True(PrefixMath.TryParseAddress(text, out IPAddress? address));
        Assert.Equal(IPAddress.Parse(text), address);
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("1")]
    [InlineData("192.0.2")]
    [InlineData("3232235777")]
    [InlineData("fe80::1%eth0")]
    [InlineData("fe80::1%2")]
    [InlineData("192.0.2.1/32")]
    [InlineData("192.0.2.256")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParseAddress_ShorthandZoneOrPrefix_IsRefused(string? text)
    {
        Assert.False(PrefixMath.TryParseAddress(text, out IPAddress? address));
        Assert.Null(address);
    }

    [Theory]
    [InlineData("192.0.2.10", 24, "192.0.2.0/24")]
    [InlineData("2001:db8:0:11::1", 64, "2001:db8:0:11::/64")]
    [InlineData("203.0.113.77", 27, "203.0.113.64/27")]
    public void NetworkOf_AddressAndLength_ClearsHostBits(string address, int length, string expected) =>
        Assert.Equal(Net(expected), PrefixMath.NetworkOf(IPAddress.Parse(address), length));

    [Fact]
    public void ToUInt128_ThenFromUInt128_GivesTheAddressBack()
    {
        IPAddress address = IPAddress.Parse("2001:db8:0:11::cafe");
        Assert.Equal(address, PrefixMath.FromUInt128(PrefixMath.ToUInt128(address)));
    }
}
