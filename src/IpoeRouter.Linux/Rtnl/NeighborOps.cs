using System.Net;
using System.Net.Sockets;
using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Netlink;

namespace IpoeRouter.Linux.Rtnl;

/// <summary>
/// Neighbour (ARP/NDP) entries. The DHCPv4 server needs one: an OFFER or ACK to a client that has no
/// address yet and did not ask for a broadcast goes to the offered address at the client's hardware
/// address (RFC 2131 §4.1), and the client cannot answer an ARP request for an address it does not
/// hold yet, so the server writes the entry itself before sending.
/// </summary>
public sealed class NeighborOps(NetlinkSocket socket)
{
    private const ushort NdaDst = 1, NdaLladdr = 2; // linux/neighbour.h
    private const ushort NudReachable = 0x02;
    private const byte RtnUnicast = 1;

    /// <summary>Same as <c>ip neigh replace A lladdr M dev D nud reachable</c>.</summary>
    public void Replace(int index, IPAddress address, ReadOnlySpan<byte> hardwareAddress) =>
        socket.Request(Encode(index, address, hardwareAddress), $"ip neigh replace {address} lladdr {Convert.ToHexString(hardwareAddress)} dev #{index}");

    /// <summary>The RTM_NEWNEIGH request (CREATE|REPLACE) for one entry.</summary>
    public static NetlinkMessageBuilder Encode(int index, IPAddress address, ReadOnlySpan<byte> hardwareAddress)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> ndmsg = stackalloc byte[12]; // struct ndmsg: family, pad, pad16, ifindex, state, flags, type
        ndmsg[0] = address.AddressFamily == AddressFamily.InterNetwork ? (byte)2 : (byte)10;
        BitConverter.TryWriteBytes(ndmsg[4..], index);
        BitConverter.TryWriteBytes(ndmsg[8..], NudReachable);
        ndmsg[11] = RtnUnicast;
        return new NetlinkMessageBuilder(NetlinkMessageType.NewNeighbor, NetlinkFlags.Request | NetlinkFlags.Create | NetlinkFlags.Replace)
            .Fixed(ndmsg)
            .AttributeAddress(NdaDst, address)
            .Attribute(NdaLladdr, hardwareAddress);
    }
}
