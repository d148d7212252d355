using System.Net;
using IpoeRouter.Protocols.Dhcp4;
using IpoeRouter.Protocols.Wire;
using Xunit;

namespace IpoeRouter.Protocols.Tests;

/// <summary>DHCPv4 messages as bytes, annotated field by field, in both directions.</summary>
public sealed class Dhcp4LiteralTests
{
    private static readonly ByteString s_mac = new([0x02, 0x00, 0x00, 0x00, 0x00, 0x01]);

    /// <summary>A broadcast DISCOVER with client identifier, parameter request list and host name, padded to 300 bytes.</summary>
    internal static readonly byte[] Discover = Convert.FromHexString(string.Concat(
        "01", "01", "06", "00",                           // op BOOTREQUEST, htype Ethernet, hlen 6, hops 0
        "c0ffee01",                                       // xid
        "0000", "8000",                                   // secs 0, flags BROADCAST
        "00000000", "00000000", "00000000", "00000000",   // ciaddr, yiaddr, siaddr, giaddr: 0.0.0.0
        "020000000001", Zeros(10),                        // chaddr: 02:00:00:00:00:01, then 10 bytes of padding
        Zeros(64), Zeros(128),                            // sname, file: empty
        "63825363",                                       // magic cookie 99.130.83.99 (offset 236)
        "35", "01", "01",                                 // 53 message type, len 1: DISCOVER
        "3d", "07", "01", "020000000001",                 // 61 client identifier, len 7: type 1 (Ethernet), MAC
        "37", "07", "01", "03", "06", "0f", "2a", "77", "79", // 55 parameter request list, len 7: 1 3 6 15 42 119 121
        "0c", "06", "6c616e2d7063",                       // 12 host name, len 6: "lan-pc"
        "ff",                                             // END (offset 269)
        Zeros(30)));                                      // padding to 300 bytes

    /// <summary>An ACK with the whole configuration, domain search compressed, routes classless, one private option kept raw.</summary>
    internal static readonly byte[] Ack = Convert.FromHexString(string.Concat(
        "02", "01", "06", "00",                           // op BOOTREPLY, htype Ethernet, hlen 6, hops 0
        "c0ffee01",                                       // xid (the client's)
        "0000", "8000",                                   // secs 0, flags BROADCAST (echoed)
        "00000000", "c0000264", "00000000", "00000000",   // ciaddr 0, yiaddr 192.0.2.100, siaddr 0, giaddr 0
        "020000000001", Zeros(10),                        // chaddr
        Zeros(64), Zeros(128),                            // sname, file
        "63825363",                                       // magic cookie
        "35", "01", "05",                                 // 53 message type: ACK
        "36", "04", "c0000201",                           // 54 server identifier: 192.0.2.1
        "33", "04", "00000e10",                           // 51 lease time: 3600 s
        "3a", "04", "00000708",                           // 58 T1: 1800 s
        "3b", "04", "00000c4e",                           // 59 T2: 3150 s
        "01", "04", "ffffff00",                           // 1 subnet mask: 255.255.255.0
        "03", "04", "c0000201",                           // 3 router: 192.0.2.1
        "06", "08", "c0000201", "c6336435",               // 6 DNS: 192.0.2.1, 198.51.100.53
        "2a", "04", "cb00717b",                           // 42 NTP: 203.0.113.123
        "0f", "0c", "686f6d652e6578616d706c65",           // 15 domain name, len 12: "home.example" (text)
        "77", "14",                                       // 119 domain search, len 20:
        "04686f6d65", "076578616d706c65", "00",           //   at 0: 4 "home" 7 "example" 0
        "036c6162", "c000",                               //   at 14: 3 "lab", pointer to 0 ("home.example")
        "79", "0d",                                       // 121 classless static routes, len 13:
        "00", "c0000201",                                 //   width 0 (default route), no destination bytes, via 192.0.2.1
        "18", "c63364", "c00002fe",                       //   width 24, 198.51.100, via 192.0.2.254
        "e0", "04", "deadbeef",                           // 224 (site-specific): unknown, kept raw
        "ff"));                                           // END; 353 bytes, longer than 300, so no padding

    private static string Zeros(int bytes) => new('0', 2 * bytes);

    private static Dhcp4Message DiscoverMessage() => new()
    {
        Op = Dhcp4OpCode.BootRequest,
        HardwareType = Dhcp4Message.EthernetHardwareType,
        HardwareAddress = s_mac,
        TransactionId = 0xc0ffee01,
        Flags = Dhcp4Flags.Broadcast,
        Options =
        [
            new MessageTypeOption(Dhcp4MessageType.Discover),
            new ClientIdentifierOption(ClientIdentifierOption.Ethernet, s_mac),
            new ParameterRequestListOption([1, 3, 6, 15, 42, 119, 121]),
            new HostNameOption("lan-pc"),
        ],
    };

    private static Dhcp4Message AckMessage() => new()
    {
        Op = Dhcp4OpCode.BootReply,
        HardwareAddress = s_mac,
        TransactionId = 0xc0ffee01,
        Flags = Dhcp4Flags.Broadcast,
        YourAddress = IPAddress.Parse("192.0.2.100"),
        Options =
        [
            new MessageTypeOption(Dhcp4MessageType.Ack),
            new ServerIdentifierOption(IPAddress.Parse("192.0.2.1")),
            new LeaseTimeOption(3600),
            new RenewalTimeOption(1800),
            new RebindingTimeOption(3150),
            new SubnetMaskOption(IPAddress.Parse("255.255.255.0")),
            new RouterOption([IPAddress.Parse("192.0.2.1")]),
            new DomainNameServerOption([IPAddress.Parse("192.0.2.1"), IPAddress.Parse("198.51.100.53")]),
            new NtpServersOption([IPAddress.Parse("203.0.113.123")]),
            new DomainNameOption("home.example"),
            new DomainSearchOption(["home.example", "lab.home.example"]),
            new ClasslessStaticRouteOption(
            [
                new ClasslessRoute(IPNetwork.Parse("0.0.0.0/0"), IPAddress.Parse("192.0.2.1")),
                new ClasslessRoute(IPNetwork.Parse("198.51.100.0/24"), IPAddress.Parse("192.0.2.254")),
            ]),
            new RawDhcp4Option(224, new ByteString([0xde, 0xad, 0xbe, 0xef])),
        ],
    };

    [Fact]
    public void Discover_EncodesToTheAnnotatedBytes_PaddedTo300()
    {
        byte[] bytes = DiscoverMessage().ToArray();

        Assert.Equal(Dhcp4Message.MinimumLength, bytes.Length);
        Assert.Equal(Convert.ToHexString(Discover), Convert.ToHexString(bytes));
    }

    [Fact]
    public void Discover_ParsesToItsFields()
    {
        Dhcp4Message m = Dhcp4Message.Parse(Discover);

        Assert.Equal((Dhcp4OpCode.BootRequest, (byte)1, 0xc0ffee01u, (ushort)0), (m.Op, m.HardwareType, m.TransactionId, m.Seconds));
        Assert.True(m.Broadcast);
        Assert.Equal(s_mac, m.HardwareAddress);
        Assert.Equal(Dhcp4MessageType.Discover, m.MessageType);
        Assert.Equal(IPAddress.Any, m.ClientAddress);
        ClientIdentifierOption id = m.Find<ClientIdentifierOption>()!;
        Assert.Equal((ClientIdentifierOption.Ethernet, s_mac), (id.Type, id.Identifier));
        Assert.Equal([1, 3, 6, 15, 42, 119, 121], m.Find<ParameterRequestListOption>()!.Codes);
        Assert.Equal("lan-pc", m.Find<HostNameOption>()!.Name);
        Assert.Equal(Dhcp4OptionOverload.None, m.Overload);
        Assert.Equal(64, m.ServerName.Length);
        Assert.Equal(128, m.File.Length);
    }

    [Fact]
    public void Ack_EncodesToTheAnnotatedBytes_WithACompressedSearchList()
    {
        Assert.Equal(Convert.ToHexString(Ack), Convert.ToHexString(AckMessage().ToArray()));
    }

    [Fact]
    public void Ack_ParsesEveryOptionAndKeepsTheUnknownOneRaw()
    {
        Dhcp4Message m = Dhcp4Message.Parse(Ack);

        Assert.Equal((Dhcp4OpCode.BootReply, Dhcp4MessageType.Ack), (m.Op, m.MessageType));
        Assert.Equal(IPAddress.Parse("192.0.2.100"), m.YourAddress);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), m.Find<ServerIdentifierOption>()!.Address);
        Assert.Equal((3600u, 1800u, 3150u), (m.Find<LeaseTimeOption>()!.Seconds, m.Find<RenewalTimeOption>()!.Seconds, m.Find<RebindingTimeOption>()!.Seconds));
        Assert.Equal(IPAddress.Parse("255.255.255.0"), m.Find<SubnetMaskOption>()!.Mask);
        Assert.Equal([IPAddress.Parse("192.0.2.1")], m.Find<RouterOption>()!.Routers);
        Assert.Equal([IPAddress.Parse("192.0.2.1"), IPAddress.Parse("198.51.100.53")], m.Find<DomainNameServerOption>()!.Servers);
        Assert.Equal([IPAddress.Parse("203.0.113.123")], m.Find<NtpServersOption>()!.Servers);
        Assert.Equal("home.example", m.Find<DomainNameOption>()!.Name);
        Assert.Equal(["home.example", "lab.home.example"], m.Find<DomainSearchOption>()!.Domains);
        Assert.Equal(
            [
                new ClasslessRoute(IPNetwork.Parse("0.0.0.0/0"), IPAddress.Parse("192.0.2.1")),
                new ClasslessRoute(IPNetwork.Parse("198.51.100.0/24"), IPAddress.Parse("192.0.2.254")),
            ],
            m.Find<ClasslessStaticRouteOption>()!.Routes);
        RawDhcp4Option raw = m.Find<RawDhcp4Option>()!;
        Assert.Equal(((byte)224, "de:ad:be:ef"), (raw.Code, raw.Data.ToString()));
        Assert.Equal(13, m.Options.Count);
    }

    [Fact]
    public void Overload_IsReported_AndSnameAndFileStayRaw()
    {
        byte[] sname = new byte[64];
        sname[0] = 0x35; sname[1] = 0x01; sname[2] = 0x06; sname[3] = 0xff; // options (a NAK) the codec must not read
        Dhcp4Message m = DiscoverMessage() with
        {
            ServerName = new ByteString(sname),
            Options = [new MessageTypeOption(Dhcp4MessageType.Discover), new OptionOverloadOption(Dhcp4OptionOverload.ServerName)],
        };
        byte[] bytes = m.ToArray();
        Assert.Equal("340102", Convert.ToHexString(bytes, 243, 3)); // 52 option overload, len 1: sname

        Dhcp4Message parsed = Dhcp4Message.Parse(bytes);

        Assert.Equal(Dhcp4OptionOverload.ServerName, parsed.Overload);
        Assert.Equal(Dhcp4MessageType.Discover, parsed.MessageType);
        Assert.Equal(new ByteString(sname), parsed.ServerName);
        Assert.Equal(2, parsed.Options.Count);
    }

    [Fact]
    public void ShortFields_ArePaddedWithZeros_AndParseBackAtFullLength()
    {
        Dhcp4Message m = DiscoverMessage() with { ServerName = new ByteString("tftp"u8.ToArray()), File = new ByteString("boot.ipxe"u8.ToArray()) };

        Dhcp4Message parsed = Dhcp4Message.Parse(m.ToArray());

        Assert.Equal("74:66:74:70" + string.Concat(Enumerable.Repeat(":00", 60)), parsed.ServerName.ToString());
        Assert.Equal(128, parsed.File.Length);
        Assert.Equal("boot.ipxe"u8.ToArray(), parsed.File.Span[..9].ToArray());
    }

    [Theory]
    [MemberData(nameof(Packets))]
    public void Packet_ReencodesToTheSameBytes(byte[] packet) =>
        Assert.Equal(Convert.ToHexString(packet), Convert.ToHexString(Dhcp4Message.Parse(packet).ToArray()));

    public static TheoryData<byte[]> Packets() => [Discover, Ack];
}
