using System.Net;
using System.Net.Sockets;
using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Netlink;

namespace IpoeRouter.Linux.Rtnl;

/// <summary>One neighbour entry: an address on a link and the hardware address it was resolved to.</summary>
/// <param name="Index">The interface.</param>
/// <param name="Address">The neighbour's address.</param>
/// <param name="HardwareAddress">Its hardware address; empty while unresolved.</param>
/// <param name="State">The <c>NUD_*</c> state bits.</param>
public sealed record NeighborInfo(int Index, IPAddress Address, byte[] HardwareAddress, ushort State)
{
    /// <summary>Resolved, and not known to have failed: reachable, stale, delay, probe or permanent.</summary>
    public bool IsResolved => HardwareAddress.Length > 0 && (State & 0x9e) != 0; // REACHABLE|STALE|DELAY|PROBE|PERMANENT

    /// <summary>The entry is <c>NUD_STALE</c>: not confirmed lately (the host may have dropped the address).</summary>
    public bool IsStale => (State & 0x04) != 0;

    /// <summary>How long ago the neighbour last confirmed it is there (<c>NDA_CACHEINFO</c>'s ndm_confirmed), when the kernel said.</summary>
    public TimeSpan? ConfirmedAgo { get; init; }
}

/// <summary>
/// Neighbour (ARP/NDP) entries. The DHCPv4 server needs one: an OFFER or ACK to a client that has no
/// address yet and did not ask for a broadcast goes to the offered address at the client's hardware
/// address (RFC 2131 §4.1), and the client cannot answer an ARP request for an address it does not
/// hold yet, so the server writes the entry itself before sending.
/// </summary>
public sealed class NeighborOps(NetlinkSocket socket)
{
    private const ushort NdaDst = 1, NdaLladdr = 2, NdaCacheInfo = 3; // linux/neighbour.h
    private const int UserHz = 100; // nda_cacheinfo counts clock ticks (USER_HZ)
    private const ushort NudReachable = 0x02;
    private const byte RtnUnicast = 1;

    /// <summary>Same as <c>ip neigh replace A lladdr M dev D nud reachable</c>.</summary>
    public void Replace(int index, IPAddress address, ReadOnlySpan<byte> hardwareAddress) =>
        socket.Request(Encode(index, address, hardwareAddress), $"ip neigh replace {address} lladdr {Convert.ToHexString(hardwareAddress)} dev #{index}");

    /// <summary>Every neighbour entry of one family. Same as <c>ip -4|-6 neigh show</c>.</summary>
    public IReadOnlyList<NeighborInfo> Dump(AddressFamily family)
    {
        Span<byte> ndmsg = stackalloc byte[12];
        ndmsg[0] = family == AddressFamily.InterNetwork ? (byte)2 : (byte)10;
        var request = new NetlinkMessageBuilder(NetlinkMessageType.GetNeighbor, NetlinkFlags.Request | NetlinkFlags.Dump).Fixed(ndmsg);
        return socket.Dump(request, "ip neigh show").Select(Decode).OfType<NeighborInfo>().ToList();
    }

    /// <summary>Decodes an RTM_NEWNEIGH message; null for another message or an entry without an address.</summary>
    public static NeighborInfo? Decode(NetlinkMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        ReadOnlySpan<byte> p = message.Payload;
        if (message.Type != NetlinkMessageType.NewNeighbor || p.Length < 12)
        {
            return null;
        }

        int index = BitConverter.ToInt32(p[4..]);
        ushort state = BitConverter.ToUInt16(p[8..]);
        IPAddress? address = null;
        byte[] lladdr = [];
        TimeSpan? confirmed = null;
        foreach (var a in new NetlinkAttributes(p[12..]))
        {
            if (a.Type == NdaDst && a.Value.Length is 4 or 16)
            {
                address = new IPAddress(a.Value);
            }
            else if (a.Type == NdaLladdr)
            {
                lladdr = a.Value.ToArray();
            }
            else if (a.Type == NdaCacheInfo && a.Value.Length >= 16)
            {
                confirmed = TimeSpan.FromSeconds(BitConverter.ToUInt32(a.Value) / (double)UserHz); // struct nda_cacheinfo: confirmed, used, updated, refcnt
            }
        }

        return address is null ? null : new NeighborInfo(index, address, lladdr, state) { ConfirmedAgo = confirmed };
    }

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
