using System.ComponentModel;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace IpoeRouter.Services.Hosting;

/// <summary>What one <c>recvmsg(2)</c> returned: bytes of data, of the sender's address, and of control messages.</summary>
/// <param name="Length">Data bytes written to the buffer.</param>
/// <param name="NameLength">Bytes of the sender's address written to the name buffer.</param>
/// <param name="ControlLength">Bytes of control messages written to the control buffer.</param>
internal readonly record struct SocketMessage(int Length, int NameLength, int ControlLength);

/// <summary>
/// <c>recvmsg(2)</c> for what .NET's sockets do not report: ancillary data (the hop limit of an IPv6
/// datagram, a packet socket's auxiliary data). A peek waits for the next datagram without taking it,
/// then a non-blocking <c>recvmsg</c> reads it with its sender and control messages.
/// </summary>
internal static class SocketMessages
{
    private const int MsgDontWait = 0x40;
    private const int Eagain = 11, Eintr = 4;

    /// <summary>Waits for the next datagram on <paramref name="socket"/> and reads it, its sender and its control messages into the buffers given.</summary>
    public static async ValueTask<SocketMessage> ReceiveAsync(Socket socket, byte[] buffer, byte[] name, byte[] control, CancellationToken cancellationToken)
    {
        while (true)
        {
            await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.Peek, cancellationToken).ConfigureAwait(false);
            if (TryReceive(socket, buffer, name, control) is { } message)
            {
                return message;
            }
        }
    }

    /// <summary>
    /// The data of the first control message of <paramref name="level"/> and <paramref name="type"/>
    /// (struct cmsghdr: size_t length, int level, int type, then the data, 8-byte aligned), or empty.
    /// </summary>
    public static ReadOnlySpan<byte> Find(ReadOnlySpan<byte> control, int level, int type)
    {
        int offset = 0;
        while (offset + 16 <= control.Length)
        {
            long length = BitConverter.ToInt64(control[offset..]);
            if (length < 16 || offset + length > control.Length)
            {
                return [];
            }

            if (BitConverter.ToInt32(control[(offset + 8)..]) == level && BitConverter.ToInt32(control[(offset + 12)..]) == type)
            {
                return control.Slice(offset + 16, (int)length - 16);
            }

            offset += (int)((length + 7) & ~7L);
        }

        return [];
    }

    /// <summary>One non-blocking <c>recvmsg</c>; null when the datagram peeked at was taken meanwhile.</summary>
    private static SocketMessage? TryReceive(Socket socket, byte[] buffer, byte[] name, byte[] control)
    {
        GCHandle data = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        GCHandle nameHandle = GCHandle.Alloc(name, GCHandleType.Pinned);
        GCHandle controlHandle = GCHandle.Alloc(control, GCHandleType.Pinned);
        GCHandle iovHandle = GCHandle.Alloc(new IoVec { Base = data.AddrOfPinnedObject(), Length = (nuint)buffer.Length }, GCHandleType.Pinned);
        bool added = false;
        try
        {
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

            return new SocketMessage((int)received, (int)message.NameLength, (int)message.ControlLength);
        }
        finally
        {
            if (added)
            {
                socket.SafeHandle.DangerousRelease();
            }

            iovHandle.Free();
            controlHandle.Free();
            nameHandle.Free();
            data.Free();
        }
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
