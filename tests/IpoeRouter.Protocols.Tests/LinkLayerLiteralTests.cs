using System.Net;
using IpoeRouter.Protocols.Arp;
using IpoeRouter.Protocols.Ipv4;
using IpoeRouter.Protocols.Wire;
using Xunit;

namespace IpoeRouter.Protocols.Tests;

/// <summary>
/// What the DHCPv4 client reads off its packet sockets: ARP packets (RFC 826, RFC 5227 probes) and
/// IPv4/UDP datagrams (RFC 791, RFC 768), as annotated byte literals both ways, and refused cases
/// with the field and offset.
/// </summary>
public sealed class LinkLayerLiteralTests
{
    private static readonly ByteString s_mac = new([0x02, 0x00, 0x5e, 0x00, 0x02, 0x07]);

    /// <summary>An RFC 5227 probe from 02:00:5e:00:02:07 for 192.0.2.118.</summary>
    private const string Probe =
        "0001" + "0800" + "06" + "04" + "0001"   // Ethernet, IPv4, lengths 6 and 4, request
        + "02005e000207" + "00000000"            // sender MAC, sender address 0.0.0.0
        + "000000000000" + "c0000276";           // target MAC zero, target 192.0.2.118

    /// <summary>UDP 192.0.2.1:67 → 255.255.255.255:68 carrying "hello", both checksums right.</summary>
    private const string Udp =
        "45" + "00" + "0021" + "1234" + "0000"   // IPv4, IHL 5; TOS; total 33; id; no fragment
        + "40" + "11" + "a697"                   // TTL 64, UDP, header checksum
        + "c0000201" + "ffffffff"                // source, destination
        + "0043" + "0044" + "000d" + "f979"      // UDP 67 → 68, length 13, checksum
        + "68656c6c6f";                          // "hello"

    [Fact]
    public void ArpProbe_EncodesAndDecodes_FieldByField()
    {
        ArpPacket probe = ArpPacket.Probe(s_mac, IPAddress.Parse("192.0.2.118"));

        Assert.Equal(Probe, Convert.ToHexStringLower(probe.ToArray()));
        ArpPacket read = ArpPacket.Parse(Convert.FromHexString(Probe + "000000000000000000000000000000000000")); // Ethernet padding to 46 bytes
        Assert.Equal(probe, read);
        Assert.True(read.IsProbe);
        Assert.Equal((ArpOperation.Request, IPAddress.Any, IPAddress.Parse("192.0.2.118")), (read.Operation, read.SenderAddress, read.TargetAddress));
        Assert.Equal(s_mac, read.SenderHardwareAddress);
    }

    [Fact]
    public void Arp_TruncatedAfterTheHeader_IsRefusedAtTheSenderMac()
    {
        var e = Assert.Throws<WireFormatException>(() => ArpPacket.Parse(Convert.FromHexString("0001080006040001")));

        Assert.Equal((8, "sender hardware address"), (e.Offset, e.Field));
    }

    [Theory]
    [InlineData(0, "0006", "hardware type")]     // IEEE 802, not Ethernet
    [InlineData(2, "86dd", "protocol type")]     // IPv6
    [InlineData(4, "04", "hardware length")]
    [InlineData(5, "10", "protocol length")]
    [InlineData(6, "0003", "operation")]         // RARP request
    public void Arp_Malformed_IsRefusedAtTheField(int offset, string bytes, string field)
    {
        byte[] packet = Convert.FromHexString(Probe);
        Convert.FromHexString(bytes).CopyTo(packet, offset);

        var e = Assert.Throws<WireFormatException>(() => ArpPacket.Parse(packet));

        Assert.Equal((offset, field), (e.Offset, e.Field));
    }

    [Fact]
    public void Ipv4Udp_Reads_AddressesPortsAndPayload_IgnoringEthernetPadding()
    {
        byte[] packet = Convert.FromHexString(Udp + "0000000000000000000000000000"); // padded to 46 bytes

        Ipv4UdpPacket p = Ipv4UdpPacket.Parse(packet);

        Assert.Equal((IPAddress.Parse("192.0.2.1"), IPAddress.Broadcast, (ushort)67, (ushort)68), (p.Source, p.Destination, p.SourcePort, p.DestinationPort));
        Assert.Equal("hello", System.Text.Encoding.ASCII.GetString(p.Payload(packet)));
    }

    [Theory]
    [InlineData(10, 0xa6, 0x98, "header checksum", 10)]        // header checksum off by one
    [InlineData(26, 0xf9, 0x7a, "UDP checksum", 26)]           // UDP checksum off by one
    [InlineData(6, 0x20, 0x00, "flags/fragment offset", 6)]    // more fragments
    [InlineData(9, 0x06, 0xa6, "protocol", 9)]                 // TCP (checked before the checksum)
    [InlineData(0, 0x65, 0x00, "version", 0)]                  // IPv6's version nibble
    public void Ipv4Udp_Damaged_IsRefusedAtTheField(int at, byte value, byte next, string field, int offset)
    {
        byte[] packet = Convert.FromHexString(Udp);
        packet[at] = value;
        packet[at + 1] = next;

        var e = Assert.Throws<WireFormatException>(() => Ipv4UdpPacket.Parse(packet));

        Assert.Equal((offset, field), (e.Offset, e.Field));
    }

    [Fact]
    public void Ipv4Udp_ChecksumLeftToOffload_IsReadWhenNotVerified()
    {
        byte[] packet = Convert.FromHexString(Udp);
        packet[26] = 0x12; // what a veth carries from a local sender: the pseudo-header sum only
        packet[27] = 0x34;

        Assert.Throws<WireFormatException>(() => Ipv4UdpPacket.Parse(packet));
        Assert.Equal(68, Ipv4UdpPacket.Parse(packet, verifyUdpChecksum: false).DestinationPort);
    }

    [Fact]
    public void Ipv4Udp_TotalLengthBeyondWhatArrived_IsRefused()
    {
        byte[] packet = Convert.FromHexString(Udp)[..30];

        var e = Assert.Throws<WireFormatException>(() => Ipv4UdpPacket.Parse(packet));

        Assert.Equal((2, "total length"), (e.Offset, e.Field));
    }
}
