using IpoeRouter.Linux.Interop;
using static Tmds.Linux.LibC;

namespace IpoeRouter.Linux.Io;

/// <summary>
/// An eventfd that wakes threads blocked in <see cref="Readiness.Wait"/>: <see cref="Set"/> makes it
/// readable, <see cref="Reset"/> readable no more. Used level-triggered: a stop signal is set once and
/// never reset, so every thread waiting on it sees it, however many there are.
/// </summary>
public sealed unsafe class WakeEvent : IDisposable
{
    /// <summary>Creates the eventfd (non-blocking, close-on-exec).</summary>
    public WakeEvent()
    {
        int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        Handle = fd >= 0 ? new FileDescriptorHandle(fd) : throw SystemCallException.FromLastError("eventfd");
    }

    /// <summary>The eventfd, to wait on.</summary>
    public FileDescriptorHandle Handle { get; }

    /// <summary>Makes the event readable (adds 1 to its counter).</summary>
    public void Set()
    {
        ulong one = 1;
        _ = write(Handle.Fd, &one, sizeof(ulong));
    }

    /// <summary>Makes the event unreadable again (reads its counter to 0); false when it was not set.</summary>
    public bool Reset()
    {
        ulong value;
        return read(Handle.Fd, &value, sizeof(ulong)) == sizeof(ulong);
    }

    /// <inheritdoc/>
    public void Dispose() => Handle.Dispose();
}
