namespace IpoeRouter.Linux.Netlink;

/// <summary>What one receive on an event (multicast) socket gave.</summary>
public enum NetlinkEventStatus
{
    /// <summary>A datagram from the kernel: <see cref="NetlinkEventDatagram.Bytes"/> holds it.</summary>
    Datagram,

    /// <summary>
    /// <c>recvfrom</c> failed with <c>ENOBUFS</c>: the socket's receive buffer was full and the
    /// kernel dropped events for it. What is known of the kernel's state is stale; read it again.
    /// </summary>
    Overflow,

    /// <summary>Nothing arrived within the receive timeout (or, without waiting, nothing was queued).</summary>
    Empty,
}

/// <summary>One receive on an event socket: a datagram, an overflow marker, or nothing.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Bytes">The datagram (every message in it) for <see cref="NetlinkEventStatus.Datagram"/>; empty otherwise.</param>
/// <param name="Length">
/// The datagram's length as the kernel had it (<c>MSG_TRUNC</c>): more than <see cref="Bytes"/>'
/// length when it did not fit the receive buffer and was cut.
/// </param>
public sealed record NetlinkEventDatagram(NetlinkEventStatus Status, byte[] Bytes, int Length)
{
    /// <summary>The overflow marker.</summary>
    public static NetlinkEventDatagram Overflow { get; } = new(NetlinkEventStatus.Overflow, [], 0);

    /// <summary>Nothing received.</summary>
    public static NetlinkEventDatagram Empty { get; } = new(NetlinkEventStatus.Empty, [], 0);

    /// <summary>The datagram was longer than the receive buffer and its tail is lost.</summary>
    public bool Truncated => Length > Bytes.Length;
}
