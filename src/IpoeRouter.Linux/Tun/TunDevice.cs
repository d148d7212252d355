using System.Runtime.InteropServices;
using System.Text;
using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Io;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace IpoeRouter.Linux.Tun;

/// <summary>
/// A layer-3 TUN device (<c>IFF_TUN | IFF_NO_PI</c>): reads give the IP packets the kernel routes
/// into it, writes hand IP packets to the kernel as if they had arrived on it. The device is not
/// persistent: it exists as long as this descriptor is open, so a process that dies takes its link
/// (and the routes through it) with it instead of leaving a black hole. It is created in the network
/// namespace of the calling thread, down and without addresses. The descriptor is non-blocking:
/// wait with <see cref="Readiness.Wait"/> on <see cref="Handle"/>.
/// </summary>
public sealed unsafe class TunDevice : IDisposable
{
    private TunDevice(FileDescriptorHandle handle, string name, int index, bool vnetHeader)
    {
        Handle = handle;
        Name = name;
        InterfaceIndex = index;
        HasVnetHeader = vnetHeader;
    }

    /// <summary>The link's name (as the kernel gave it: a pattern such as <c>tun%d</c> is filled in).</summary>
    public string Name { get; }

    /// <summary>The link's ifindex.</summary>
    public int InterfaceIndex { get; }

    /// <summary>Whether every packet read or written starts with a 10-byte <c>struct virtio_net_hdr</c> (<c>IFF_VNET_HDR</c>).</summary>
    public bool HasVnetHeader { get; }

    /// <summary>The descriptor, to wait on.</summary>
    public FileDescriptorHandle Handle { get; }

    /// <summary>
    /// Creates the device <paramref name="name"/> (at most 15 bytes) in the caller's network
    /// namespace. Same as <c>ip tuntap add dev NAME mode tun</c> without <c>persist</c> semantics:
    /// closing the descriptor deletes it. With <paramref name="vnetHeader"/> packets carry a virtio
    /// header (<c>IFF_VNET_HDR</c>), for offloads (<see cref="SetOffload"/>). Throws
    /// <see cref="SystemCallException"/> naming the call: <c>EBUSY</c> when a device of that name is
    /// held by another descriptor, <c>EPERM</c> without CAP_NET_ADMIN.
    /// </summary>
    public static TunDevice Open(string name, bool vnetHeader = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        byte[] nameBytes = Encoding.ASCII.GetBytes(name);
        if (nameBytes.Length >= TunConstants.InterfaceNameSize)
        {
            throw new ArgumentException($"Interface names are at most {TunConstants.InterfaceNameSize - 1} bytes: '{name}'.", nameof(name));
        }

        int fd;
        fixed (byte* path = "/dev/net/tun\0"u8)
        {
            fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC, 0);
        }

        if (fd < 0)
        {
            throw SystemCallException.FromLastError("open(/dev/net/tun)");
        }

        var handle = new FileDescriptorHandle(fd);
        try
        {
            byte* request = stackalloc byte[TunConstants.InterfaceRequestSize];
            new Span<byte>(request, TunConstants.InterfaceRequestSize).Clear();
            nameBytes.CopyTo(new Span<byte>(request, TunConstants.InterfaceNameSize));
            short flags = (short)(TunConstants.FlagTun | TunConstants.FlagNoPacketInfo | (vnetHeader ? TunConstants.FlagVnetHeader : 0));
            *(short*)(request + TunConstants.InterfaceNameSize) = flags;
            if (ioctl(fd, unchecked((int)TunConstants.SetInterface), request) != 0)
            {
                throw SystemCallException.FromLastError($"ioctl(TUNSETIFF {name})");
            }

            var given = new ReadOnlySpan<byte>(request, TunConstants.InterfaceNameSize);
            int end = given.IndexOf((byte)0);
            string actual = Encoding.ASCII.GetString(end < 0 ? given : given[..end]);
            uint index = DataPathCalls.IfNameToIndex(request);
            if (index == 0)
            {
                throw new SystemCallException($"if_nametoindex({actual})", Marshal.GetLastPInvokeError());
            }

            return new TunDevice(handle, actual, (int)index, vnetHeader);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Tells the driver which offloads this reader takes (<c>TUNSETOFFLOAD</c> with
    /// <c>TUN_F_*</c> bits from <see cref="TunConstants"/>): with <c>TUN_F_TSO4</c> the kernel may
    /// hand over TCP packets up to 64 KB that user space must segment. Needs <see cref="HasVnetHeader"/>.
    /// </summary>
    public void SetOffload(uint offloads)
    {
        if (ioctl(Handle.Fd, unchecked((int)TunConstants.SetOffload), (int)offloads) != 0)
        {
            throw SystemCallException.FromLastError($"ioctl(TUNSETOFFLOAD {Name} 0x{offloads:x})");
        }
    }

    /// <summary>
    /// Sets the link's transmit queue length (<c>SIOCSIFTXQLEN</c>; same as
    /// <c>ip link set dev NAME txqueuelen N</c>), which for a TUN is the ring of packets waiting for
    /// the reader. The driver drops what does not fit and never holds the qdisc back, so a reader that
    /// is late by more than the ring (500 packets by default) loses packets, and TCP through it backs
    /// off. Needs CAP_NET_ADMIN; acts in the calling thread's namespace, which must be the device's.
    /// </summary>
    public void SetTransmitQueueLength(int packets)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(packets);
        int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            throw SystemCallException.FromLastError("socket(AF_INET) for SIOCSIFTXQLEN");
        }

        try
        {
            byte* request = stackalloc byte[TunConstants.InterfaceRequestSize];
            new Span<byte>(request, TunConstants.InterfaceRequestSize).Clear();
            Encoding.ASCII.GetBytes(Name, new Span<byte>(request, TunConstants.InterfaceNameSize - 1));
            *(int*)(request + TunConstants.InterfaceNameSize) = packets;
            if (ioctl(fd, TunConstants.SetTransmitQueueLength, request) != 0)
            {
                throw SystemCallException.FromLastError($"ioctl(SIOCSIFTXQLEN {Name} {packets})");
            }
        }
        finally
        {
            _ = close(fd);
        }
    }

    /// <summary>
    /// Reads one packet into <paramref name="buffer"/> and returns its length, or 0 when none is
    /// queued (<c>EAGAIN</c>). A packet longer than the buffer is cut (the rest is lost). Throws
    /// <see cref="SystemCallException"/> on any other error.
    /// </summary>
    public int Read(Span<byte> buffer)
    {
        fixed (byte* b = buffer)
        {
            while (true)
            {
                long n = read(Handle.Fd, b, (size_t)buffer.Length);
                if (n >= 0)
                {
                    return (int)n;
                }

                int e = errno;
                if (e == EAGAIN)
                {
                    return 0;
                }

                if (e != EINTR)
                {
                    throw new SystemCallException($"read({Name})", e);
                }
            }
        }
    }

    /// <summary>
    /// Hands one packet to the kernel. Returns 0, or the errno when the driver refused it: <c>EIO</c>
    /// while the link is down, <c>EINVAL</c> for a packet it cannot parse. Never throws, so a burst of
    /// refusals costs no allocation; the caller counts them.
    /// </summary>
    public int Write(ReadOnlySpan<byte> packet)
    {
        fixed (byte* b = packet)
        {
            while (true)
            {
                long n = write(Handle.Fd, b, (size_t)packet.Length);
                if (n >= 0)
                {
                    return 0;
                }

                int e = errno;
                if (e != EINTR)
                {
                    return e;
                }
            }
        }
    }

    /// <summary>Closes the descriptor: the link disappears with it.</summary>
    public void Dispose() => Handle.Dispose();
}
