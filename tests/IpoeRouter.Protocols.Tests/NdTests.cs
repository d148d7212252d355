using System.Net;
using IpoeRouter.Protocols.Icmp6;
using IpoeRouter.Protocols.Wire;
using Xunit;

namespace IpoeRouter.Protocols.Tests;

/// <summary>Router Advertisements and Solicitations: annotated literals, malformed cases, a mutation fuzz harness.</summary>
public sealed class NdTests
{
    /// <summary>What the HGW sends (the seed's tcpdump): O flag, router lifetime 5400 s, PIO valid 14400 / preferred 12600.</summary>
    internal static readonly byte[] HgwRa = Convert.FromHexString(string.Concat(
        "86", "00", "0000",                   // type 134, code 0, checksum (kernel's)
        "40", "40", "1518",                   // cur hop limit 64, flags O (0x40), router lifetime 5400
        "00007530", "000003e8",               // reachable time 30000 ms, retrans timer 1000 ms
        "03", "04", "40", "c0",               // PIO: type 3, length 4 (32 bytes), /64, L|A
        "00003840", "00003138", "00000000",   // valid 14400, preferred 12600, reserved
        "20010db8000000100000000000000000"));  // 2001:db8:0:10::

    /// <summary>What our LAN RA carries besides the PIO: MTU, RDNSS, DNSSL, a route, the source link-layer address.</summary>
    internal static readonly byte[] LanRa = Convert.FromHexString(string.Concat(
        "86", "00", "0000", "40", "48", "0708", "00000000", "00000000", // O flag, preference high (01 << 3), lifetime 1800
        "0101", "000db9123456",                                       // SLLA: type 1, length 1, MAC
        "0501", "0000", "000005b4",                                   // MTU: 1460
        "1903", "0000", "00000e10", "20010db8000000110000000000000001", // RDNSS: lifetime 3600, 2001:db8:0:11::1
        "1f03", "0000", "00000e10", "04686f6d65", "0461727061", "00", "0000000000", // DNSSL: home.arpa (8 + 11 bytes), 5 zeros to 24
        "1802", "30", "00", "00000708", "20010db800120000"));        // RIO: /48, medium, 1800 s, 2001:db8:12::

    [Fact]
    public void HgwRa_ParsesToTheFieldsTcpdumpShowed()
    {
        RouterAdvertisement ra = RouterAdvertisement.Parse(HgwRa);

        Assert.Equal((64, false, true, RouterPreference.Medium, 5400, 30000u, 1000u), (ra.CurHopLimit, ra.Managed, ra.Other, ra.Preference, (int)ra.RouterLifetime, ra.ReachableTime, ra.RetransTimer));
        var pio = Assert.IsType<PrefixInformationOption>(Assert.Single(ra.Options));
        Assert.Equal(((byte)64, true, true, 14400u, 12600u, IPAddress.Parse("2001:db8:0:10::")), (pio.PrefixLength, pio.OnLink, pio.Autonomous, pio.ValidLifetime, pio.PreferredLifetime, pio.Prefix));
    }

    [Fact]
    public void LanRa_EncodesToTheAnnotatedBytes()
    {
        var ra = new RouterAdvertisement(64, false, true, RouterPreference.High, 1800, 0, 0,
        [
            new LinkLayerAddressOption(1, new ByteString([0x00, 0x0d, 0xb9, 0x12, 0x34, 0x56])),
            new MtuOption(1460),
            new RdnssOption(3600, [IPAddress.Parse("2001:db8:0:11::1")]),
            new DnsslOption(3600, ["home.arpa"]),
            new RouteInformationOption(48, RouterPreference.Medium, 1800, IPAddress.Parse("2001:db8:12::")),
        ]);

        Assert.Equal(Convert.ToHexString(LanRa), Convert.ToHexString(ra.ToArray()));
    }

    [Theory]
    [MemberData(nameof(Packets))]
    public void Ra_ReencodesToTheSameBytes(byte[] packet) =>
        Assert.Equal(Convert.ToHexString(packet), Convert.ToHexString(RouterAdvertisement.Parse(packet).ToArray()));

    public static TheoryData<byte[]> Packets() => [HgwRa, LanRa];

    [Fact]
    public void Rs_WithSourceLinkLayer_RoundTrips()
    {
        byte[] rs = Convert.FromHexString("85000000" + "00000000" + "0101000db9123456");
        RouterSolicitation parsed = RouterSolicitation.Parse(rs);
        Assert.Equal("00:0d:b9:12:34:56", Assert.IsType<LinkLayerAddressOption>(Assert.Single(parsed.Options)).Address.ToString());
        Assert.Equal(Convert.ToHexString(rs), Convert.ToHexString(parsed.ToArray()));
    }

    [Fact]
    public void Option_LengthZero_IsRefusedAtItsOffset()
    {
        var e = Assert.Throws<WireFormatException>(() => RouterAdvertisement.Parse(Convert.FromHexString("86000000" + "40400708" + "0000000000000000" + "0300")));
        Assert.Equal((16, "option 3"), (e.Offset, e.Field));
    }

    [Fact]
    public void Pio_TooShort_IsRefused()
    {
        var e = Assert.Throws<WireFormatException>(() => RouterAdvertisement.Parse(Convert.FromHexString("86000000" + "40400708" + "0000000000000000" + "0301" + "40c000003840")));
        Assert.Equal((16, "option 3"), (e.Offset, e.Field));
    }

    [Fact]
    public void Rdnss_WithoutAddress_IsRefused() =>
        Assert.Equal("RDNSS", Assert.Throws<WireFormatException>(() => RouterAdvertisement.Parse(Convert.FromHexString("86000000" + "40400708" + "0000000000000000" + "1901" + "000000000e10"))).Field);

    [Fact]
    public void WrongIcmpType_IsRefused() =>
        Assert.Equal("ICMPv6 type", Assert.Throws<WireFormatException>(() => RouterAdvertisement.Parse(Convert.FromHexString("8500000000000000"))).Field);

    [Fact]
    public void Parse_MutatedAdvertisements_OnlyEverThrowsWireFormatException() =>
        MutationFuzz.OnlyWireFormatErrors([HgwRa, LanRa], 4861, MutateOne, p => RouterAdvertisement.Parse(p).ToArray());

    private static byte[] MutateOne(byte[] seed, Random random)
    {
        var p = new List<byte>(seed);
        int at = random.Next(p.Count);
        switch (random.Next(3))
        {
            case 0: p[at] ^= (byte)(1 << random.Next(8)); break;
            case 1: p.RemoveRange(at, 1 + random.Next(Math.Min(8, p.Count - at))); break;
            default: p.Insert(at, (byte)random.Next(256)); break;
        }

        return [.. p];
    }
}
