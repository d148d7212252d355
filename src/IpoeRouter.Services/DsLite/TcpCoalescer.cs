using System.Buffers.Binary;
using IpoeRouter.Linux.Tun;

namespace IpoeRouter.Services.DsLite;

/// <summary>
/// GRO in user space, for a TUN with a virtio header: consecutive TCP segments of one flow are merged
/// into one packet of up to 64 KB that is written once with <c>VIRTIO_NET_HDR_GSO_TCPV4</c>, so the
/// kernel forwards one large packet (cut again where a link needs it) instead of tens. The merge
/// follows the kernel's own rules (<c>tcp_gro_receive</c>): same addresses, ports, TOS, TTL, DF,
/// acknowledgement, window and TCP options; in sequence; every segment but the last of the
/// first's size; only ACK (and PSH, which ends the merge) set. Each segment's IPv4 and TCP
/// checksums are verified before it is merged (the merged packet's are recomputed, so a damaged
/// segment would otherwise be repaired instead of dropped). Only neighbours merge: segments of
/// flows interleaved in a batch are written as they come. One buffer, allocated once; one thread at a time.
/// Used by the B4 pump and the lab AFTR.
/// </summary>
public sealed class TcpCoalescer
{
    /// <summary>The largest merged IPv4 packet (its total length is 16 bits).</summary>
    public const int MaxLength = 65535;

    private const byte Ack = 0x10, Psh = 0x08;
    private readonly byte[] _buffer = new byte[VirtioNetHeader.Size + MaxLength];
    private int _length;
    private int _headers;
    private int _segmentSize;
    private uint _nextSequence;
    private bool _closed;
    private int _originalBytes;

    /// <summary>How many segments are merged so far (0: nothing pending).</summary>
    public int Segments { get; private set; }

    /// <summary>
    /// Whether <paramref name="packet"/> (an IPv4 packet of exactly its total length) may be merged:
    /// IPv4 without options or fragmentation, TCP with a payload and only ACK (and PSH) set, both
    /// checksums right.
    /// </summary>
    public static bool IsCandidate(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < 41 || packet[0] != 0x45 || packet[9] != 6 || (BinaryPrimitives.ReadUInt16BigEndian(packet[6..]) & 0x3FFF) != 0)
        {
            return false;
        }

        int tcpHeader = (packet[32] >> 4) * 4;
        byte flags = packet[33];
        if (tcpHeader < 20 || packet.Length <= 20 + tcpHeader || (flags & Ack) == 0 || (flags & ~(Ack | Psh)) != 0)
        {
            return false;
        }

        return InternetChecksum.Fold(InternetChecksum.Add(0, packet[..20])) == 0xFFFF
            && InternetChecksum.Fold(InternetChecksum.Add(InternetChecksum.PseudoHeader(packet, 6, packet.Length - 20), packet[20..])) == 0xFFFF;
    }

    /// <summary>Starts a merge with <paramref name="packet"/> (a <see cref="IsCandidate"/>); nothing may be pending.</summary>
    public void Start(ReadOnlySpan<byte> packet)
    {
        packet.CopyTo(_buffer.AsSpan(VirtioNetHeader.Size));
        _length = packet.Length;
        _headers = 20 + ((packet[32] >> 4) * 4);
        _segmentSize = packet.Length - _headers;
        _nextSequence = BinaryPrimitives.ReadUInt32BigEndian(packet[24..]) + (uint)_segmentSize;
        _closed = (packet[33] & Psh) != 0;
        _originalBytes = packet.Length;
        Segments = 1;
    }

    /// <summary>Appends <paramref name="packet"/> (a <see cref="IsCandidate"/>) if it continues the pending merge; false when it does not (then nothing changed).</summary>
    public bool TryAppend(ReadOnlySpan<byte> packet)
    {
        ReadOnlySpan<byte> first = _buffer.AsSpan(VirtioNetHeader.Size, _headers);
        int payload = packet.Length - _headers;
        if (Segments == 0 || _closed || packet.Length < _headers || payload <= 0 || payload > _segmentSize || _length + payload > MaxLength
            || packet[1] != first[1] || packet[8] != first[8] || (packet[6] & 0x40) != (first[6] & 0x40)
            || !packet[12..20].SequenceEqual(first[12..20]) // addresses
            || !packet[20..24].SequenceEqual(first[20..24]) // ports
            || BinaryPrimitives.ReadUInt32BigEndian(packet[24..]) != _nextSequence
            || !packet[28..33].SequenceEqual(first[28..33]) // acknowledgement, data offset
            || !packet[34..36].SequenceEqual(first[34..36]) // window
            || !packet[40.._headers].SequenceEqual(first[40.._headers])) // options
        {
            return false;
        }

        packet[_headers..].CopyTo(_buffer.AsSpan(VirtioNetHeader.Size + _length));
        _length += payload;
        _nextSequence += (uint)payload;
        _originalBytes += packet.Length;
        Segments++;
        if ((packet[33] & Psh) != 0)
        {
            _buffer[VirtioNetHeader.Size + 33] |= Psh;
            _closed = true;
        }

        _closed |= payload < _segmentSize;
        return true;
    }

    /// <summary>
    /// Completes the pending packet and returns it with its virtio header in front, to write to the
    /// TUN as is; <paramref name="segments"/> is how many packets it carries and
    /// <paramref name="bytes"/> their lengths added up, as they arrived. A single segment goes
    /// unchanged (no offload asked); several go as one GSO packet: IPv4 total length and checksum
    /// rewritten, the TCP checksum left as the pseudo-header sum for the kernel to finish
    /// (<c>VIRTIO_NET_HDR_F_NEEDS_CSUM</c>). Nothing is pending afterwards.
    /// </summary>
    public ReadOnlySpan<byte> Finish(out int segments, out int bytes)
    {
        segments = Segments;
        bytes = _originalBytes;
        Span<byte> header = _buffer.AsSpan(0, VirtioNetHeader.Size);
        Span<byte> packet = _buffer.AsSpan(VirtioNetHeader.Size, _length);
        if (Segments == 1)
        {
            default(VirtioNetHeader).Write(header);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(packet[2..], (ushort)_length);
            InternetChecksum.SetIpv4HeaderChecksum(packet);
            BinaryPrimitives.WriteUInt16BigEndian(packet[36..], InternetChecksum.Fold(InternetChecksum.PseudoHeader(packet, 6, _length - 20)));
            new VirtioNetHeader(VirtioNetHeader.FlagNeedsChecksum, VirtioNetHeader.GsoTcpV4, (ushort)_headers, (ushort)_segmentSize, 20, 16).Write(header);
        }

        Segments = 0;
        return _buffer.AsSpan(0, VirtioNetHeader.Size + _length);
    }
}
