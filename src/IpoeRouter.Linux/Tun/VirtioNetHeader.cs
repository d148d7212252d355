using System.Buffers.Binary;

namespace IpoeRouter.Linux.Tun;

/// <summary>
/// <c>struct virtio_net_hdr</c> (linux/virtio_net.h), the 10 bytes in front of every packet of a TUN
/// opened with <c>IFF_VNET_HDR</c>: what the kernel left undone for user space (a checksum to
/// finish, a TCP packet larger than the MTU to segment). Little-endian, as the driver uses it on
/// little-endian hosts unless told otherwise (<c>TUNSETVNETBE</c>).
/// </summary>
public readonly record struct VirtioNetHeader(byte Flags, byte GsoType, ushort HeaderLength, ushort GsoSize, ushort ChecksumStart, ushort ChecksumOffset)
{
    /// <summary>The header's size.</summary>
    public const int Size = 10;

    /// <summary><c>VIRTIO_NET_HDR_F_NEEDS_CSUM</c>: the checksum at <see cref="ChecksumStart"/> + <see cref="ChecksumOffset"/> holds only the pseudo-header sum; finish it over the bytes from <see cref="ChecksumStart"/> on.</summary>
    public const byte FlagNeedsChecksum = 1;

    /// <summary><c>VIRTIO_NET_HDR_GSO_NONE</c>.</summary>
    public const byte GsoNone = 0;

    /// <summary><c>VIRTIO_NET_HDR_GSO_TCPV4</c>: an IPv4 TCP packet to cut into segments of <see cref="GsoSize"/> payload bytes.</summary>
    public const byte GsoTcpV4 = 1;

    /// <summary><c>VIRTIO_NET_HDR_GSO_ECN</c>: a bit on <see cref="GsoType"/>, the TCP packet carries ECN's CWR.</summary>
    public const byte GsoEcn = 0x80;

    /// <summary>Whether <see cref="FlagNeedsChecksum"/> is set.</summary>
    public bool NeedsChecksum => (Flags & FlagNeedsChecksum) != 0;

    /// <summary><see cref="GsoType"/> without the ECN bit.</summary>
    public byte Kind => (byte)(GsoType & ~GsoEcn);

    /// <summary>Reads the header at the start of <paramref name="source"/>.</summary>
    public static VirtioNetHeader Read(ReadOnlySpan<byte> source) => new(
        source[0],
        source[1],
        BinaryPrimitives.ReadUInt16LittleEndian(source[2..]),
        BinaryPrimitives.ReadUInt16LittleEndian(source[4..]),
        BinaryPrimitives.ReadUInt16LittleEndian(source[6..]),
        BinaryPrimitives.ReadUInt16LittleEndian(source[8..]));

    /// <summary>Writes the header at the start of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        destination[0] = Flags;
        destination[1] = GsoType;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[2..], HeaderLength);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], GsoSize);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], ChecksumStart);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[8..], ChecksumOffset);
    }
}
