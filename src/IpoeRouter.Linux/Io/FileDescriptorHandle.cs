using System.Runtime.InteropServices;
using static Tmds.Linux.LibC;

namespace IpoeRouter.Linux.Io;

/// <summary>
/// A file descriptor closed exactly once. Being a <see cref="SafeHandle"/>, a close that comes while
/// another thread holds a reference (<see cref="SafeHandle.DangerousAddRef"/>, as a data-path thread
/// does around each batch) waits until that reference is released, so a descriptor number is never
/// reused under a thread still using it.
/// </summary>
public sealed class FileDescriptorHandle : SafeHandle
{
    /// <summary>Takes ownership of <paramref name="fd"/>.</summary>
    public FileDescriptorHandle(int fd)
        : base(new IntPtr(-1), ownsHandle: true) => SetHandle(new IntPtr(fd));

    /// <inheritdoc/>
    public override bool IsInvalid => handle.ToInt64() < 0;

    /// <summary>The descriptor number (valid while the handle is open and referenced).</summary>
    public int Fd => (int)handle.ToInt64();

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => close((int)handle.ToInt64()) == 0;
}
