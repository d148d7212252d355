using System.Globalization;
using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Netlink;

namespace IpoeRouter.Linux.Rtnl;

/// <summary>
/// Listens for changes to links, IPv4/IPv6 addresses and main-table IPv4/IPv6 routes
/// (<c>RTNLGRP_LINK</c>, <c>RTNLGRP_IPV4_IFADDR</c>, <c>RTNLGRP_IPV6_IFADDR</c>,
/// <c>RTNLGRP_IPV4_ROUTE</c>, <c>RTNLGRP_IPV6_ROUTE</c>) in the network namespace it was opened
/// in, for a consumer that runs its loop on a dedicated thread and calls <see cref="Receive"/>.
/// Every message is reported (an undecodable one as <see cref="RtnlEventKind.Unknown"/>) except
/// routes of other tables; lost events are reported as <see cref="RtnlEventKind.Overflow"/>.
/// </summary>
public sealed class RtnlEventListener : IDisposable
{
    /// <summary>The receive buffer asked for by default: 8 MiB, room for a burst of thousands of events.</summary>
    public const int DefaultReceiveBufferBytes = 8 << 20;

    /// <summary>At most this many datagrams make one batch, so a storm of changes still lets the consumer act between batches.</summary>
    public const int MaxDatagramsPerBatch = 1024;

    private static readonly uint[] Groups =
    [
        NetlinkConstants.GroupLink,
        NetlinkConstants.GroupIpv4Address,
        NetlinkConstants.GroupIpv6Address,
        NetlinkConstants.GroupIpv4Route,
        NetlinkConstants.GroupIpv6Route,
    ];

    private readonly NetlinkSocket _socket;

    private RtnlEventListener(NetlinkSocket socket, int receiveBufferBytes)
    {
        _socket = socket;
        ReceiveBufferBytes = receiveBufferBytes;
    }

    /// <summary>The receive buffer the kernel granted (<c>getsockopt(SO_RCVBUF)</c>; 0 when it could not be read).</summary>
    public int ReceiveBufferBytes { get; }

    /// <summary>
    /// Opens the listener in <paramref name="ns"/> (<see cref="NetworkNamespace.Current"/> for the
    /// caller's own). <see cref="Receive"/> waits at most <paramref name="receiveTimeout"/>, which
    /// also bounds how long a <see cref="Receive"/> in progress keeps running after
    /// <see cref="Dispose"/>. The receive buffer is enlarged to <paramref name="receiveBufferBytes"/>
    /// (<c>SO_RCVBUFFORCE</c>, else <c>SO_RCVBUF</c>) when the kernel allows it; a refusal is ignored.
    /// </summary>
    public static RtnlEventListener Open(NetworkNamespace ns, TimeSpan receiveTimeout, int receiveBufferBytes = DefaultReceiveBufferBytes)
    {
        NetlinkSocket socket = NetlinkSocket.OpenForEvents(ns, receiveTimeout, NetlinkConstants.ProtocolRoute, receiveBufferBytes, Groups, out int granted);
        return new RtnlEventListener(socket, granted);
    }

    /// <summary>
    /// Blocks until at least one datagram arrives or the receive timeout passes (then returns an
    /// empty list), and takes every datagram already queued without waiting, so a burst comes out
    /// as one batch, in the kernel's order. Never throws for what the kernel sent: a malformed
    /// message is an <see cref="RtnlEventKind.Unknown"/> event, an overflow an
    /// <see cref="RtnlEventKind.Overflow"/> event. Throws <see cref="ObjectDisposedException"/>
    /// when called after <see cref="Dispose"/>.
    /// </summary>
    public IReadOnlyList<RtnlEvent> Receive() => _socket.ReceiveEvents(MaxDatagramsPerBatch, Decode, () => RtnlEvent.Overflow);

    /// <summary>
    /// The events of one datagram: each message decoded (routes of other tables left out), then an
    /// <see cref="RtnlEventKind.Unknown"/> event for a damaged or cut tail, so nothing is lost silently.
    /// </summary>
    public static IReadOnlyList<RtnlEvent> Decode(NetlinkEventDatagram datagram)
    {
        ArgumentNullException.ThrowIfNull(datagram);
        var events = new List<RtnlEvent>();
        List<NetlinkMessage> messages = NetlinkMessage.SplitLeading(datagram.Bytes, out string? malformed);
        foreach (NetlinkMessage message in messages)
        {
            if (RtnlEvent.Decode(message) is { } e)
            {
                events.Add(e);
            }
        }

        if (datagram.Truncated)
        {
            events.Add(RtnlEvent.Unknown(string.Create(CultureInfo.InvariantCulture,
                $"rtnetlink datagram of {datagram.Length} bytes cut to {datagram.Bytes.Length}: its last messages are lost")));
        }
        else if (malformed is not null)
        {
            events.Add(RtnlEvent.Unknown($"malformed rtnetlink datagram: {malformed}"));
        }

        return events;
    }

    /// <summary>Closes the socket. A <see cref="Receive"/> blocked in another thread returns within the receive timeout.</summary>
    public void Dispose() => _socket.Dispose();
}
