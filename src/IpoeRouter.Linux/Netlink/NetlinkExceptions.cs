namespace IpoeRouter.Linux.Netlink;

/// <summary>
/// The kernel refused a request: <see cref="Errno"/>, the kernel's own explanation when it gave one
/// (extended ack), and the operation that failed.
/// </summary>
public sealed class NetlinkException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NetlinkException(string operation, int errno, string? kernelMessage)
        : base(Describe(operation, errno, kernelMessage))
    {
        Operation = operation;
        Errno = errno;
        KernelMessage = kernelMessage;
    }

    /// <summary>What was asked, in <c>ip</c> terms.</summary>
    public string Operation { get; }

    /// <summary>The positive errno (<c>EEXIST</c> = 17, <c>EOPNOTSUPP</c> = 95, ...).</summary>
    public int Errno { get; }

    /// <summary>The extended-ack text, e.g. "Unknown device type".</summary>
    public string? KernelMessage { get; }

    private static string Describe(string operation, int errno, string? kernelMessage) =>
        $"{operation} failed: {Marshalling.ErrnoName(errno)} ({errno})" + (kernelMessage is { Length: > 0 } m ? $": {m}" : string.Empty);
}

/// <summary>A dump whose objects changed while it ran (<c>NLM_F_DUMP_INTR</c>): its result cannot be trusted; dump again.</summary>
public sealed class NetlinkDumpInterruptedException(string operation)
    : Exception($"{operation}: the kernel's tables changed during the dump (NLM_F_DUMP_INTR); the result is inconsistent and must be read again.")
{
    /// <summary>The dump that was interrupted.</summary>
    public string Operation { get; } = operation;
}

/// <summary>A netlink message or attribute that does not fit its own lengths.</summary>
public sealed class NetlinkFormatException(string message) : Exception("Malformed netlink data: " + message);

/// <summary>Names for the errno values netlink requests and the data path (TUN, raw sockets) meet.</summary>
internal static class Marshalling
{
    public static string ErrnoName(int errno) => errno switch
    {
        1 => "EPERM",
        2 => "ENOENT",
        3 => "ESRCH",
        5 => "EIO",
        9 => "EBADF",
        11 => "EAGAIN",
        12 => "ENOMEM",
        13 => "EACCES",
        14 => "EFAULT",
        16 => "EBUSY",
        17 => "EEXIST",
        19 => "ENODEV",
        22 => "EINVAL",
        34 => "ERANGE",
        77 => "EBADFD",
        90 => "EMSGSIZE",
        93 => "EPROTONOSUPPORT",
        95 => "EOPNOTSUPP",
        97 => "EAFNOSUPPORT",
        99 => "EADDRNOTAVAIL",
        100 => "ENETDOWN",
        101 => "ENETUNREACH",
        105 => "ENOBUFS",
        111 => "ECONNREFUSED",
        113 => "EHOSTUNREACH",
        _ => "errno",
    };
}
