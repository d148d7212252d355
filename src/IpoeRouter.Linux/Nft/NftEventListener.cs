using System.Globalization;
using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Netlink;

namespace IpoeRouter.Linux.Nft;

/// <summary>
/// Listens for committed nftables transactions in the network namespace it was opened in: a
/// <c>NETLINK_NETFILTER</c> socket in the <c>NFNLGRP_NFTABLES</c> group gives one
/// <see cref="NftEventKind.Generation"/> event per commit (<c>NFT_MSG_NEWGEN</c>, with who
/// committed it), the transaction's table/chain/rule messages counted into it. For a consumer that
/// runs its loop on a dedicated thread and calls <see cref="Receive"/>. Lost events are reported as
/// <see cref="NftEventKind.Overflow"/>, undecodable ones as <see cref="NftEventKind.Unknown"/>.
/// </summary>
public sealed class NftEventListener : IDisposable
{
    /// <summary><c>NFNLGRP_NFTABLES</c> (linux/netfilter/nfnetlink.h).</summary>
    public const uint GroupNftables = 7;

    /// <summary>The receive buffer asked for by default: 8 MiB (a ruleset replaced whole sends one message per rule).</summary>
    public const int DefaultReceiveBufferBytes = 8 << 20;

    /// <summary>At most this many datagrams make one batch.</summary>
    public const int MaxDatagramsPerBatch = 1024;

    private readonly NetlinkSocket _socket;
    private int _objectMessages;

    private NftEventListener(NetlinkSocket socket, int receiveBufferBytes)
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
    public static NftEventListener Open(NetworkNamespace ns, TimeSpan receiveTimeout, int receiveBufferBytes = DefaultReceiveBufferBytes)
    {
        NetlinkSocket socket = NetlinkSocket.OpenForEvents(ns, receiveTimeout, NetlinkConstants.ProtocolNetfilter, receiveBufferBytes, [GroupNftables], out int granted);
        return new NftEventListener(socket, granted);
    }

    /// <summary>
    /// Blocks until at least one datagram arrives or the receive timeout passes (then returns an
    /// empty list), and takes every datagram already queued without waiting, so a burst comes out
    /// as one batch, in the kernel's order. A datagram holding only a transaction's object messages
    /// gives no event yet: they are counted into the generation that ends it. Never throws for what
    /// the kernel sent. Throws <see cref="ObjectDisposedException"/> when called after
    /// <see cref="Dispose"/>. One consumer thread at a time.
    /// </summary>
    public IReadOnlyList<NftEvent> Receive() => _socket.ReceiveEvents(MaxDatagramsPerBatch, Decode, () =>
    {
        _objectMessages = 0; // the lost ones belong to transactions we will not see end
        return NftEvent.Overflow;
    });

    /// <summary>
    /// The events of one datagram, carrying the count of object messages across datagrams: a
    /// generation event for each <c>NFT_MSG_NEWGEN</c>, an <see cref="NftEventKind.Unknown"/> event
    /// for a message of another subsystem and for a damaged or cut tail.
    /// </summary>
    public IReadOnlyList<NftEvent> Decode(NetlinkEventDatagram datagram)
    {
        ArgumentNullException.ThrowIfNull(datagram);
        var events = new List<NftEvent>();
        List<NetlinkMessage> messages = NetlinkMessage.SplitLeading(datagram.Bytes, out string? malformed);
        foreach (NetlinkMessage message in messages)
        {
            if (NftEvent.IsNewGeneration(message))
            {
                events.Add(NftEvent.DecodeGeneration(message, _objectMessages));
                _objectMessages = 0;
            }
            else if (NftEvent.IsNftables(message))
            {
                _objectMessages++;
            }
            else
            {
                events.Add(NftEvent.Unknown(string.Create(CultureInfo.InvariantCulture,
                    $"unexpected nfnetlink message type 0x{(ushort)message.Type:x4} ({message.Payload.Length} bytes)")));
            }
        }

        if (datagram.Truncated)
        {
            events.Add(NftEvent.Unknown(string.Create(CultureInfo.InvariantCulture,
                $"nfnetlink datagram of {datagram.Length} bytes cut to {datagram.Bytes.Length}: its last messages are lost")));
        }
        else if (malformed is not null)
        {
            events.Add(NftEvent.Unknown($"malformed nfnetlink datagram: {malformed}"));
        }

        return events;
    }

    /// <summary>Closes the socket. A <see cref="Receive"/> blocked in another thread returns within the receive timeout.</summary>
    public void Dispose() => _socket.Dispose();
}
