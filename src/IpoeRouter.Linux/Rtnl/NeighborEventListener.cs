using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Netlink;

namespace IpoeRouter.Linux.Rtnl;

/// <summary>
/// Listens for neighbour table changes (<c>RTNLGRP_NEIGH</c>) in the network namespace it was opened
/// in, for a consumer on a dedicated thread. Each <see cref="Receive"/> blocks in poll until entries
/// change, the receive timeout passes or <see cref="Stop"/> is called, so an idle LAN costs no wakeups.
/// </summary>
public sealed class NeighborEventListener : IDisposable
{
    private readonly NetlinkSocket _socket;

    private NeighborEventListener(NetlinkSocket socket) => _socket = socket;

    /// <summary>Opens the listener in <paramref name="ns"/>; <see cref="Receive"/> returns empty after <paramref name="receiveTimeout"/>.</summary>
    public static NeighborEventListener Open(NetworkNamespace ns, TimeSpan receiveTimeout) =>
        new(NetlinkSocket.OpenForEvents(ns, receiveTimeout, NetlinkConstants.ProtocolRoute, 1 << 20, [NetlinkConstants.GroupNeighbor], out _));

    /// <summary>
    /// The entries made or changed in the next burst (deletions are not listed: a dump afterwards
    /// shows what is left), empty when the timeout passed or the listener was stopped. An overflow
    /// (events lost) gives a single null entry: the caller reads the whole table again.
    /// </summary>
    public IReadOnlyList<NeighborInfo?> Receive() =>
        _socket.ReceiveEvents<NeighborInfo?>(64, d => NetlinkMessage.SplitLeading(d.Bytes, out _).Select(NeighborOps.Decode).OfType<NeighborInfo>(), () => null);

    /// <summary>Ends a <see cref="Receive"/> blocked in another thread at once (and every later one).</summary>
    public void Stop() => _socket.StopEventReceives();

    /// <inheritdoc/>
    public void Dispose() => _socket.Dispose();
}
