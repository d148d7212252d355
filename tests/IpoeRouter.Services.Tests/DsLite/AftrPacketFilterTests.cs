using System.Net;
using IpoeRouter.Services.DsLite;
using Xunit;

namespace IpoeRouter.Services.Tests.DsLite;

public sealed class AftrPacketFilterTests
{
    private static readonly byte[] s_aftr = IPAddress.Parse("2001:db8:4::af").GetAddressBytes();
    private static readonly byte[] s_other = IPAddress.Parse("2001:db8:4::bad").GetAddressBytes();

    // 20-byte IPv4 header, total length 20, 203.0.113.2 → 192.0.0.2.
    private static readonly byte[] s_ipv4 = Convert.FromHexString("45000014123440004011" + "0000" + "CB007102C0000002");

    [Fact]
    public void FromTheAftr_WholeAndIpv4_IsDelivered()
    {
        Assert.Equal(AftrPacketFate.Deliver, AftrPacketFilter.Classify(s_ipv4, truncated: false, s_aftr, s_aftr, out int total));
        Assert.Equal(20, total);
    }

    [Fact]
    public void FromAnotherSource_IsNotDelivered_EvenWhenItIsValidIpv4()
    {
        Assert.Equal(AftrPacketFate.WrongSource, AftrPacketFilter.Classify(s_ipv4, truncated: false, s_other, s_aftr, out int total));
        Assert.Equal(0, total);
    }

    [Fact]
    public void Truncated_IsTooBig_BeforeAnythingElse()
    {
        Assert.Equal(AftrPacketFate.TooBig, AftrPacketFilter.Classify(s_ipv4, truncated: true, s_other, s_aftr, out _));
    }

    [Fact]
    public void FromTheAftr_NotIpv4_IsNotDelivered()
    {
        byte[] ipv6 = (byte[])s_ipv4.Clone();
        ipv6[0] = 0x60;
        Assert.Equal(AftrPacketFate.NotIpv4, AftrPacketFilter.Classify(ipv6, truncated: false, s_aftr, s_aftr, out _));
        Assert.Equal(AftrPacketFate.NotIpv4, AftrPacketFilter.Classify(s_ipv4.AsSpan(0, 19), truncated: false, s_aftr, s_aftr, out _));
    }
}
