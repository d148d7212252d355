using System.Net;
using System.Net.Sockets;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Protocols.Arp;

/// <summary>ARP operation codes (RFC 826).</summary>
public enum ArpOperation : ushort
{
    /// <summary>ares_op$REQUEST.</summary>
    Request = 1,

    /// <summary>ares_op$REPLY.</summary>
    Reply = 2,
}

/// <summary>
/// An ARP packet for IPv4 over Ethernet (RFC 826: hardware type 1, protocol type 0x0800, lengths 6
/// and 4), as a packet socket of type SOCK_DGRAM hands it over: without the Ethernet header.
/// </summary>
/// <param name="Operation">Request or reply.</param>
/// <param name="SenderHardwareAddress">The sender's MAC (6 bytes).</param>
/// <param name="SenderAddress">The sender's IPv4 address; 0.0.0.0 in an RFC 5227 probe.</param>
/// <param name="TargetHardwareAddress">The target's MAC (6 bytes; zero in a request).</param>
/// <param name="TargetAddress">The IPv4 address asked about.</param>
public sealed record ArpPacket(ArpOperation Operation, ByteString SenderHardwareAddress, IPAddress SenderAddress, ByteString TargetHardwareAddress, IPAddress TargetAddress)
{
    /// <summary>The EtherType of ARP (ETH_P_ARP).</summary>
    public const ushort EtherType = 0x0806;

    /// <summary>The encoded length: 8 header bytes, two MACs and two IPv4 addresses.</summary>
    public const int Length = 28;

    private const ushort Ethernet = 1, Ipv4 = 0x0800;

    /// <summary>
    /// An ARP Probe (RFC 5227 §2.1.1): a request from <paramref name="hardwareAddress"/> with sender
    /// address 0.0.0.0 and a zero target MAC, asking who has <paramref name="candidate"/>.
    /// </summary>
    public static ArpPacket Probe(ByteString hardwareAddress, IPAddress candidate) =>
        new(ArpOperation.Request, hardwareAddress, IPAddress.Any, new ByteString(new byte[6]), candidate);

    /// <summary>True for an RFC 5227 probe: a request whose sender address is 0.0.0.0.</summary>
    public bool IsProbe => Operation == ArpOperation.Request && SenderAddress.Equals(IPAddress.Any);

    /// <summary>Reads one packet; other hardware or protocol types are refused, bytes after the 28 are ignored (Ethernet padding).</summary>
    public static ArpPacket Parse(ReadOnlySpan<byte> packet)
    {
        var r = new WireReader(packet);
        int at = r.Offset;
        if (r.ReadUInt16("hardware type") != Ethernet)
        {
            WireReader.Throw("hardware type", at, "not Ethernet (1)");
        }

        at = r.Offset;
        if (r.ReadUInt16("protocol type") != Ipv4)
        {
            WireReader.Throw("protocol type", at, "not IPv4 (0x0800)");
        }

        at = r.Offset;
        if (r.ReadByte("hardware length") != 6)
        {
            WireReader.Throw("hardware length", at, "not 6");
        }

        at = r.Offset;
        if (r.ReadByte("protocol length") != 4)
        {
            WireReader.Throw("protocol length", at, "not 4");
        }

        at = r.Offset;
        ushort operation = r.ReadUInt16("operation");
        if (operation is not ((ushort)ArpOperation.Request or (ushort)ArpOperation.Reply))
        {
            WireReader.Throw("operation", at, $"{operation} is neither request (1) nor reply (2)");
        }

        var senderMac = new ByteString(r.ReadBytes(6, "sender hardware address").ToArray());
        var sender = new IPAddress(r.ReadBytes(4, "sender protocol address"));
        var targetMac = new ByteString(r.ReadBytes(6, "target hardware address").ToArray());
        var target = new IPAddress(r.ReadBytes(4, "target protocol address"));
        return new ArpPacket((ArpOperation)operation, senderMac, sender, targetMac, target);
    }

    /// <summary>The 28 bytes of the packet.</summary>
    public byte[] ToArray()
    {
        if (SenderHardwareAddress.Length != 6 || TargetHardwareAddress.Length != 6)
        {
            throw new InvalidOperationException("ARP over Ethernet carries 6-byte hardware addresses.");
        }

        var w = new WireWriter();
        w.WriteUInt16(Ethernet);
        w.WriteUInt16(Ipv4);
        w.WriteByte(6);
        w.WriteByte(4);
        w.WriteUInt16((ushort)Operation);
        w.WriteBytes(SenderHardwareAddress.Span);
        WriteIpv4(w, SenderAddress, nameof(SenderAddress));
        w.WriteBytes(TargetHardwareAddress.Span);
        WriteIpv4(w, TargetAddress, nameof(TargetAddress));
        return w.ToArray();
    }

    private static void WriteIpv4(WireWriter w, IPAddress address, string name)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new InvalidOperationException($"{name} {address} is not an IPv4 address.");
        }

        w.WriteBytes(address.GetAddressBytes());
    }
}
