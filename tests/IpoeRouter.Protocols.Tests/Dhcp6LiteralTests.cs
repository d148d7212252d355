using System.Net;
using IpoeRouter.Protocols.Dhcp6;
using IpoeRouter.Protocols.Wire;
using Xunit;

namespace IpoeRouter.Protocols.Tests;

/// <summary>DHCPv6 messages as bytes, annotated field by field, in both directions.</summary>
public sealed class Dhcp6LiteralTests
{
    private static readonly byte[] s_mac = [0x00, 0x0d, 0xb9, 0x12, 0x34, 0x56];

    /// <summary>A Solicit for a delegated prefix, asking for DNS, domain list and AFTR-Name.</summary>
    internal static readonly byte[] Solicit = Convert.FromHexString(string.Concat(
        "01", "123456",                                   // msg-type SOLICIT, transaction-id 0x123456
        "0001", "000a", "0003", "0001", "000db9123456",   // CLIENTID len 10: DUID-LL, Ethernet, MAC
        "0008", "0002", "0000",                           // ELAPSED_TIME len 2: 0
        "0019", "000c", "00000001", "00000000", "00000000", // IA_PD len 12: IAID 1, T1 0, T2 0
        "0006", "0006", "0017", "0018", "0040"));         // ORO len 6: DNS_SERVERS, DOMAIN_LIST, AFTR_NAME

    /// <summary>A Reply delegating a /60 while withdrawing the old one (lifetimes 0), with DNS and AFTR-Name.</summary>
    internal static readonly byte[] Reply = Convert.FromHexString(string.Concat(
        "07", "abcdef",                                   // msg-type REPLY, transaction-id
        "0002", "000a", "0003", "0001", "020000000001",   // SERVERID: DUID-LL of the server
        "0019", "0046", "00000001", "00000e10", "00001518", // IA_PD len 70: IAID 1, T1 3600, T2 5400
        "001a", "0019", "00003138", "00003840", "3c", "20010db8000000200000000000000000", // IAPREFIX: 12600/14400 s, /60 2001:db8:0:20::
        "001a", "0019", "00000000", "00000000", "3c", "20010db8000000100000000000000000", // IAPREFIX: lifetimes 0 (withdrawn), 2001:db8:0:10::/60
        "0017", "0010", "20010db8000000000000000000000053",   // DNS_SERVERS: 2001:db8::53
        "0040", "000f", "026777", "077472616e736978", "026a70", "00", // AFTR_NAME len 15: 2 "gw" 7 "transix" 2 "jp" 0
        "005e", "0004", "deadbeef"));                     // S46_CONT_MAPE (94): kept raw

    [Fact]
    public void Solicit_EncodesToTheAnnotatedBytes()
    {
        var message = new Dhcp6Message(Dhcp6MessageType.Solicit, 0x123456,
        [
            new ClientIdOption(new DuidLl(DuidLl.Ethernet, new ByteString(s_mac))),
            new ElapsedTimeOption(0),
            new IaPdOption(1, 0, 0, []),
            new OroOption([Dhcp6OptionCode.DnsServers, Dhcp6OptionCode.DomainList, Dhcp6OptionCode.AftrName]),
        ]);

        Assert.Equal(Convert.ToHexString(Solicit), Convert.ToHexString(message.ToArray()));
    }

    [Fact]
    public void Solicit_ParsesToItsFields()
    {
        Dhcp6Message m = Dhcp6Message.Parse(Solicit);

        Assert.Equal((Dhcp6MessageType.Solicit, 0x123456), (m.Type, m.TransactionId));
        var duid = Assert.IsType<DuidLl>(m.Find<ClientIdOption>()!.Duid);
        Assert.Equal(new ByteString(s_mac), duid.LinkLayerAddress);
        Assert.Equal(1u, m.Find<IaPdOption>()!.Iaid);
        Assert.Equal([23, 24, 64], m.Find<OroOption>()!.Codes);
    }

    [Fact]
    public void Reply_ParsesEveryPrefixDnsAftrAndKeepsTheUnknownOption()
    {
        Dhcp6Message m = Dhcp6Message.Parse(Reply);

        IaPdOption pd = m.Find<IaPdOption>()!;
        Assert.Equal((3600u, 5400u), (pd.T1, pd.T2));
        var prefixes = pd.Prefixes.ToList();
        Assert.Equal(2, prefixes.Count);
        Assert.Equal((12600u, 14400u, (byte)60, IPAddress.Parse("2001:db8:0:20::")), (prefixes[0].PreferredLifetime, prefixes[0].ValidLifetime, prefixes[0].PrefixLength, prefixes[0].Prefix));
        Assert.Equal((0u, 0u, IPAddress.Parse("2001:db8:0:10::")), (prefixes[1].PreferredLifetime, prefixes[1].ValidLifetime, prefixes[1].Prefix));
        Assert.Equal([IPAddress.Parse("2001:db8::53")], m.Find<DnsServersOption>()!.Servers);
        Assert.Equal("gw.transix.jp", m.Find<AftrNameOption>()!.Fqdn);
        RawOption mapE = m.Find<RawOption>()!;
        Assert.Equal((Dhcp6OptionCode.S46ContMapE, "de:ad:be:ef"), (mapE.Code, mapE.Data.ToString()));
    }

    [Theory]
    [MemberData(nameof(Packets))]
    public void Packet_ReencodesToTheSameBytes(byte[] packet) =>
        Assert.Equal(Convert.ToHexString(packet), Convert.ToHexString(Dhcp6Message.Parse(packet).ToArray()));

    public static TheoryData<byte[]> Packets() => [Solicit, Reply];
}
