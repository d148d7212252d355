namespace IpoeRouter.Services.DsLite;

/// <summary>
/// What a <see cref="B4Pump"/> has carried and dropped since it was opened: a snapshot, each field
/// read once (fields written by the two data-path threads, so the sums of a snapshot taken under
/// load may be a few packets apart). Packets and bytes are of the inner IPv4 packets.
/// </summary>
public sealed record B4Counters
{
    /// <summary>IPv4 packets read from the TUN and sent to the AFTR.</summary>
    public long PacketsToAftr { get; init; }

    /// <summary>Their bytes.</summary>
    public long BytesToAftr { get; init; }

    /// <summary>IPv4 packets received from the AFTR and written to the TUN.</summary>
    public long PacketsFromAftr { get; init; }

    /// <summary>Their bytes.</summary>
    public long BytesFromAftr { get; init; }

    /// <summary>Reads from the TUN that returned a packet: with offloads one read carries up to 64 KB of TCP, so far fewer than <see cref="PacketsToAftr"/>.</summary>
    public long TunReads { get; init; }

    /// <summary>Writes to the TUN: with offloads neighbouring TCP segments go in one write, so fewer than <see cref="PacketsFromAftr"/>.</summary>
    public long TunWrites { get; init; }

    /// <summary>Packets from the TUN dropped because there was no path (no endpoints set).</summary>
    public long DroppedNoPath { get; init; }

    /// <summary>Packets from the TUN that were not sane IPv4 (<see cref="Ipv4HeaderCheck"/>): IPv6 the kernel wrote into it, or garbage.</summary>
    public long DroppedNotIpv4FromTun { get; init; }

    /// <summary>Packets from the AFTR that were not sane IPv4.</summary>
    public long DroppedNotIpv4FromAftr { get; init; }

    /// <summary>Packets too big: to the AFTR larger than the path MTU allows (<c>EMSGSIZE</c>, never fragmented), or from it larger than the receive buffer.</summary>
    public long DroppedTooBig { get; init; }

    /// <summary>Packets to the AFTR the IPv6 send refused otherwise (no route, local address gone, an ICMPv6 error reported back).</summary>
    public long DroppedSendError { get; init; }

    /// <summary>
    /// Packets from an IPv6 source other than the AFTR that reached the socket (only while it was
    /// being rebound: the connected socket has the kernel drop the others, which it counts as
    /// <c>Ip6InUnknownProtos</c>).
    /// </summary>
    public long DroppedWrongSource { get; init; }

    /// <summary>Packets from the AFTR the TUN refused (<c>EIO</c> while its link is down).</summary>
    public long DroppedTunWriteError { get; init; }

    /// <summary>Every drop, whatever its reason.</summary>
    public long Dropped => DroppedNoPath + DroppedNotIpv4FromTun + DroppedNotIpv4FromAftr + DroppedTooBig + DroppedSendError + DroppedWrongSource + DroppedTunWriteError;

    /// <summary>The last error seen (operation and errno), or null.</summary>
    public string? LastError { get; init; }

    /// <summary>When <see cref="LastError"/> last happened (it is refreshed while the same error repeats), or null.</summary>
    public DateTimeOffset? LastErrorAt { get; init; }
}
