namespace IpoeRouter.Linux.Interop;

/// <summary>
/// The TUN/TAP driver's ioctls and flags (linux/if_tun.h), which Tmds.LibC does not have. The
/// ioctl numbers are <c>_IOW('T', n, int)</c> / <c>_IOR('T', n, unsigned int)</c> as the header
/// computes them for 64-bit Linux.
/// </summary>
public static class TunConstants
{
    /// <summary><c>TUNSETIFF</c>: attach the descriptor to a new (or free) device named in a <c>struct ifreq</c>.</summary>
    public const uint SetInterface = 0x400454CA;

    /// <summary><c>TUNSETOFFLOAD</c>: which offloads (<c>TUN_F_*</c>) user space can take in reads.</summary>
    public const uint SetOffload = 0x400454D0;

    /// <summary><c>TUNGETIFF</c>: the device's name and flags.</summary>
    public const uint GetInterface = 0x800454D2;

    /// <summary><c>TUNSETVNETHDRSZ</c>: the size of the virtio header in front of each packet.</summary>
    public const uint SetVnetHeaderSize = 0x400454D8;

    /// <summary><c>SIOCSIFTXQLEN</c>: set a link's transmit queue length (for a TUN, its packet ring).</summary>
    public const int SetTransmitQueueLength = 0x8943;

    /// <summary><c>IFF_TUN</c>: layer 3, packets start at the IP header.</summary>
    public const short FlagTun = 0x0001;

    /// <summary><c>IFF_NO_PI</c>: no 4-byte packet information before each packet.</summary>
    public const short FlagNoPacketInfo = 0x1000;

    /// <summary><c>IFF_VNET_HDR</c>: each packet starts with a <c>struct virtio_net_hdr</c> (offloads).</summary>
    public const short FlagVnetHeader = 0x4000;

    /// <summary><c>TUN_F_CSUM</c>: user space accepts packets whose checksum is left to finish.</summary>
    public const uint OffloadChecksum = 0x01;

    /// <summary><c>TUN_F_TSO4</c>: user space accepts IPv4 TCP packets larger than the MTU, to segment itself.</summary>
    public const uint OffloadTso4 = 0x02;

    /// <summary><c>TUN_F_TSO6</c>: the same for IPv6 TCP.</summary>
    public const uint OffloadTso6 = 0x04;

    /// <summary><c>IFNAMSIZ</c>: interface names are at most 15 bytes and a NUL.</summary>
    public const int InterfaceNameSize = 16;

    /// <summary><c>sizeof(struct ifreq)</c> on 64-bit Linux.</summary>
    public const int InterfaceRequestSize = 40;
}
