using System.Runtime.InteropServices;

namespace IpoeRouter.Linux.Io;

/// <summary>
/// fsync of a directory, so a rename or a new file in it survives a crash. .NET cannot open a
/// directory as a file handle (<see cref="File.OpenHandle(string, FileMode, FileAccess, FileShare, FileOptions, long)"/>
/// refuses directories), so this calls libc.
/// </summary>
public static partial class DirectorySync
{
    // open(2) flags on Linux (asm-generic/fcntl.h).
    private const int ORdOnly = 0;
    private const int ODirectory = 0x10000;
    private const int OCloExec = 0x80000;

    /// <summary>Syncs <paramref name="directory"/>; false when it cannot be opened or synced.</summary>
    public static bool Sync(string directory)
    {
        int fd = Open(directory, ORdOnly | ODirectory | OCloExec);
        if (fd < 0)
        {
            return false;
        }

        try
        {
            return Fsync(fd) == 0;
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
