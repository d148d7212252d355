using IpoeRouter.Linux.Netlink;

namespace IpoeRouter.Linux.Interop;

/// <summary>
/// A system call failed: which operation (the call and what it was for, e.g.
/// <c>ioctl(TUNSETIFF b4tun)</c>) and the errno the kernel gave. An <see cref="IOException"/> whose
/// <see cref="Exception.HResult"/> is the errno, like the netlink socket's own errors.
/// </summary>
public sealed class SystemCallException : IOException
{
    /// <summary>Creates the exception for <paramref name="operation"/> failing with <paramref name="errno"/>.</summary>
    public SystemCallException(string operation, int errno)
        : base($"{operation} failed: {Marshalling.ErrnoName(errno)} ({errno})", errno)
    {
        Operation = operation;
        Errno = errno;
    }

    /// <summary>The call and its object, e.g. <c>bind(IPIP 2001:db8::1)</c>.</summary>
    public string Operation { get; }

    /// <summary>The positive errno (<c>EBUSY</c> = 16, <c>EADDRNOTAVAIL</c> = 99, ...).</summary>
    public int Errno { get; }

    /// <summary>The errno of the last failed call on this thread, as an exception naming <paramref name="operation"/>.</summary>
    public static SystemCallException FromLastError(string operation) => new(operation, Tmds.Linux.LibC.errno);
}
