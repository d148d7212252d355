using System.Runtime.InteropServices;

namespace IpoeRouter.Linux.Interop;

/// <summary>
/// The libc calls of the packet data path that Tmds.LibC lacks: the batched socket calls
/// (<c>recvmmsg</c>, <c>sendmmsg</c>) and <c>if_nametoindex</c>. Blittable arguments only, so they
/// need no marshalling and are NativeAOT-safe.
/// </summary>
internal static unsafe partial class DataPathCalls
{
    private const string Library = "libc";

    /// <summary><c>int recvmmsg(int fd, struct mmsghdr *msgvec, unsigned int vlen, int flags, struct timespec *timeout)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "recvmmsg", SetLastError = true)]
    public static partial int RecvMmsg(int fd, MultiMessageHeader* messages, uint count, int flags, void* timeout);

    /// <summary><c>int sendmmsg(int fd, struct mmsghdr *msgvec, unsigned int vlen, int flags)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "sendmmsg", SetLastError = true)]
    public static partial int SendMmsg(int fd, MultiMessageHeader* messages, uint count, int flags);

    /// <summary><c>unsigned int if_nametoindex(const char *ifname)</c>: 0 when there is no such interface.</summary>
    [LibraryImport(Library, EntryPoint = "if_nametoindex", SetLastError = true)]
    public static partial uint IfNameToIndex(byte* name);
}
