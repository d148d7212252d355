using System.ComponentModel;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace IpoeRouter.Services.Hosting;

/// <summary>One IPv6 datagram as received: its length in the buffer, the hop limit it arrived with, and its sender.</summary>
/// <param name="Length">Bytes written to the buffer.</param>
/// <param name="HopLimit">The IPv6 header's hop limit (IPV6_HOPLIMIT ancillary data); -1 when the kernel gave none.</param>
/// <param name="Source">The sender (with its scope id for a link-local address), or null when unknown.</param>
public readonly record struct Ipv6Datagram(int Length, int HopLimit, IPAddress? Source);

/// <summary>
/// Receives on an IPv6 socket together with each datagram's hop limit, which .NET's sockets do not
/// report: IPV6_RECVHOPLIMIT is set on the socket, a peek waits for a datagram without taking it, then
/// <c>recvmsg(2)</c> reads it with its IPV6_HOPLIMIT control message (RFC 3542 §6.3). Used where the hop
/// limit is part of the check, as for Neighbor Discovery (RFC 4861 §6.1.1: 255, or the packet came from
/// off link).
/// </summary>
internal static class HopLimitReceiver
{
    private const int SolIpv6 = 41, Ipv6RecvHopLimit = 51, Ipv6HopLimit = 52; // linux/in6.h
    private const int MsgDontWait = 0x40;
    private const int Eagain = 11, Eintr = 4;
    private const ushort AfInet6 = 10;

    /// <summary>Asks the kernel for the hop limit of every datagram <paramref name="socket"/> receives.</summary>
    public static void Enable(Socket socket) => socket.SetRawSocketOption(SolIpv6, Ipv6RecvHopLimit, BitConverter.GetBytes(1));

    /// <summary>Waits for the next datagram and reads it into <paramref name="buffer"/> with its hop limit and sender.</summary>
    public static async ValueTask<Ipv6Datagram> ReceiveAsync(Socket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.Peek, cancellationToken).ConfigureAwait(false);
            if (TryReceive(socket, buffer) is { } datagram)
            {
                return datagram;
            }
        }
    }

    /// <summary>One non-blocking <c>recvmsg</c>; null when the datagram peeked at was taken meanwhile.</summary>
    private static Ipv6Datagram? TryReceive(Socket socket, byte[] buffer)
    {
        byte[] name = new byte[28];     // struct sockaddr_in6
        byte[] control = new byte[64];  // room for a few cmsghdr + int
        var iov = new IoVec();
        GCHandle data = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        GCHandle nameHandle = GCHandle.Alloc(name, GCHandleType.Pinned);
        GCHandle controlHandle = GCHandle.Alloc(control, GCHandleType.Pinned);
        GCHandle iovHandle = default;
        bool added = false;
        try
        {
            iov.Base = data.AddrOfPinnedObject();
            iov.Length = (nuint)buffer.Length;
            iovHandle = GCHandle.Alloc(iov, GCHandleType.Pinned);
            var message = new MsgHdr
            {
                Name = nameHandle.AddrOfPinnedObject(),
                NameLength = (uint)name.Length,
                Iov = iovHandle.AddrOfPinnedObject(),
                IovLength = 1,
                Control = controlHandle.AddrOfPinnedObject(),
                ControlLength = (nuint)control.Length,
            };
            socket.SafeHandle.DangerousAddRef(ref added);
            nint received = RecvMsg((int)socket.SafeHandle.DangerousGetHandle(), ref message, MsgDontWait);
            if (received < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                return errno is Eagain or Eintr ? null : throw new SocketException(errno, new Win32Exception(errno).Message);
            }

            return new Ipv6Datagram((int)received, HopLimit(control.AsSpan(0, (int)message.ControlLength)), Source(name, message.NameLength));
        }
        finally
        {
            if (added)
            {
                socket.SafeHandle.DangerousRelease();
            }

            if (iovHandle.IsAllocated)
            {
                iovHandle.Free();
            }

            controlHandle.Free();
            nameHandle.Free();
            data.Free();
        }
    }

    /// <summary>The IPV6_HOPLIMIT value among the control messages (struct cmsghdr: size_t len, int level, int type, then data, 8-byte aligned); -1 when absent.</summary>
    internal static int HopLimit(ReadOnlySpan<byte> control)
    {
        int offset = 0;
        while (offset + 16 <= control.Length)
        {
            long length = BitConverter.ToInt64(control[offset..]);
            int level = BitConverter.ToInt32(control[(offset + 8)..]);
            int type = BitConverter.ToInt32(control[(offset + 12)..]);
            if (length < 16 || offset + length > control.Length)
            {
                return -1;
            }

            if (level == SolIpv6 && type == Ipv6HopLimit && length >= 20)
            {
                return BitConverter.ToInt32(control[(offset + 16)..]);
            }

            offset += (int)((length + 7) & ~7L);
        }

        return -1;
    }

    private static IPAddress? Source(byte[] name, uint length)
    {
        if (length < 28 || BitConverter.ToUInt16(name, 0) != AfInet6)
        {
            return null;
        }

        return new IPAddress(name.AsSpan(8, 16), BitConverter.ToUInt32(name, 24));
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec
    {
        public nint Base;
        public nuint Length;
    }

    /// <summary>struct msghdr on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct MsgHdr
    {
        public nint Name;
        public uint NameLength;
        public nint Iov;
        public nuint IovLength;
        public nint Control;
        public nuint ControlLength;
        public int Flags;
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need AllowUnsafeBlocks, which this project does without
    [DllImport("libc", EntryPoint = "recvmsg", SetLastError = true)]
    private static extern nint RecvMsg(int fd, ref MsgHdr message, int flags);
#pragma warning restore SYSLIB1054
}
