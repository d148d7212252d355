using System.Runtime.InteropServices;

namespace IpoeRouter.Linux.Interop;

/// <summary><c>struct iovec</c>: one buffer of a scatter/gather call.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct IoVector
{
    /// <summary><c>iov_base</c>.</summary>
    public void* Base;

    /// <summary><c>iov_len</c>.</summary>
    public nuint Length;
}

/// <summary><c>struct msghdr</c> (56 bytes on 64-bit Linux).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct MessageHeader
{
    /// <summary><c>msg_name</c>: the peer's address, or null.</summary>
    public void* Name;

    /// <summary><c>msg_namelen</c>.</summary>
    public uint NameLength;

    /// <summary><c>msg_iov</c>.</summary>
    public IoVector* Vectors;

    /// <summary><c>msg_iovlen</c>.</summary>
    public nuint VectorCount;

    /// <summary><c>msg_control</c>.</summary>
    public void* Control;

    /// <summary><c>msg_controllen</c>.</summary>
    public nuint ControlLength;

    /// <summary><c>msg_flags</c>: set by a receive (<c>MSG_TRUNC</c>, ...).</summary>
    public int Flags;
}

/// <summary><c>struct mmsghdr</c> (64 bytes): one message of <c>recvmmsg</c>/<c>sendmmsg</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct MultiMessageHeader
{
    /// <summary><c>msg_hdr</c>.</summary>
    public MessageHeader Header;

    /// <summary><c>msg_len</c>: bytes received or sent for this message.</summary>
    public uint Length;
}
