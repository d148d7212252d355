using System.Buffers.Binary;
using System.Net;
using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Netlink;

namespace IpoeRouter.Linux.Rtnl;

/// <summary>
/// One <c>RTM_NEWNDUSEROPT</c> message: the ND options of a Router Advertisement the kernel received
/// on an interface that accepts RAs and passes up because it does not act on them itself (RDNSS,
/// DNSSL …; <c>ndisc_is_useropt</c>). <see cref="Options"/> are the raw options, type-length-value
/// as on the wire (RFC 4861 §4.6).
/// </summary>
/// <param name="InterfaceIndex">The interface the RA arrived on.</param>
/// <param name="IcmpType">The ICMPv6 type of the message they came in (134 for an RA).</param>
/// <param name="Options">The options.</param>
/// <param name="Source">The RA's source address (the router, link-local), when the kernel gave it.</param>
public sealed record NdUserOptionMessage(int InterfaceIndex, byte IcmpType, byte[] Options, IPAddress? Source);

/// <summary>
/// Listens for <see cref="NdUserOptionMessage"/>s (the <c>RTNLGRP_ND_USEROPT</c> group) in the
/// network namespace it was opened in. <see cref="Receive"/> blocks up to the receive timeout.
/// </summary>
public sealed class NdUserOptionListener : IDisposable
{
    private const int HeaderLength = 16; // struct nduseroptmsg
    private const ushort AttributeSourceAddress = 1; // NDUSEROPT_SRCADDR

    private readonly NetlinkSocket _socket;

    private NdUserOptionListener(NetlinkSocket socket) => _socket = socket;

    /// <summary>
    /// Opens the listener in the calling thread's namespace; <see cref="Receive"/> returns empty after
    /// <paramref name="receiveTimeout"/>, or at once after <see cref="Stop"/>.
    /// </summary>
    public static NdUserOptionListener Open(TimeSpan receiveTimeout) =>
        new(NetlinkSocket.OpenForEvents(NetworkNamespace.Current, receiveTimeout, NetlinkConstants.ProtocolRoute, 1 << 20, [NetlinkConstants.GroupNdUserOption], out _));

    /// <summary>The messages of the next burst of datagrams, or none when the timeout passed first (or the listener was stopped).</summary>
    public IReadOnlyList<NdUserOptionMessage> Receive() =>
        _socket.ReceiveEvents<NdUserOptionMessage?>(64, d => NetlinkMessage.SplitLeading(d.Bytes, out _).Select(Decode), () => null) // an overflow: the next RA names them again
            .OfType<NdUserOptionMessage>().ToList();

    /// <summary>Ends a <see cref="Receive"/> blocked in another thread at once (and every later one).</summary>
    public void Stop() => _socket.StopEventReceives();

    /// <summary>Decodes one netlink message; null when it is not a well-formed <c>RTM_NEWNDUSEROPT</c>.</summary>
    public static NdUserOptionMessage? Decode(NetlinkMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        ReadOnlySpan<byte> p = message.Payload;
        if (message.Type != NetlinkMessageType.NewNdUserOption || p.Length < HeaderLength)
        {
            return null;
        }

        // struct nduseroptmsg: family u8, pad u8, opts_len u16, ifindex s32, icmp_type u8, icmp_code u8, pad u16, pad u32
        int optionsLength = BinaryPrimitives.ReadUInt16LittleEndian(p[2..]);
        int index = BinaryPrimitives.ReadInt32LittleEndian(p[4..]);
        byte icmpType = p[8];
        if (HeaderLength + optionsLength > p.Length)
        {
            return null;
        }

        byte[] options = p.Slice(HeaderLength, optionsLength).ToArray();
        IPAddress? source = null;
        int attributes = HeaderLength + ((optionsLength + 3) & ~3);
        if (attributes < p.Length)
        {
            foreach (var a in new NetlinkAttributes(p[attributes..]))
            {
                if (a.Type == AttributeSourceAddress && a.Value.Length == 16)
                {
                    source = new IPAddress(a.Value, index);
                }
            }
        }

        return new NdUserOptionMessage(index, icmpType, options, source);
    }

    /// <inheritdoc/>
    public void Dispose() => _socket.Dispose();
}
