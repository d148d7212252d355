using System.Runtime.InteropServices;

namespace IpoeRouter.Engine.Documents;

/// <summary>
/// Replaces a file so that a crash at any moment leaves either the old or the new content, never
/// a mix: write a temporary file beside it, fsync it, rename it over the old one, fsync the
/// directory so the rename itself is durable.
/// </summary>
public static partial class AtomicFile
{
    private const UnixFileMode DefaultMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/> atomically. <paramref name="beforeRename"/>
    /// runs after the new content is durable and before it replaces the old; throwing there
    /// leaves the old file untouched. Keeps the old file's permission bits.
    /// </summary>
    public static void Write(string path, ReadOnlySpan<byte> content, Action? beforeRename = null)
    {
        string full = System.IO.Path.GetFullPath(path);
        string dir = System.IO.Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        string temp = System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.SetUnixFileMode(temp, File.Exists(full) ? File.GetUnixFileMode(full) : DefaultMode);
            beforeRename?.Invoke();
            File.Move(temp, full, overwrite: true);
            SyncDirectory(dir);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    private static void SyncDirectory(string dir)
    {
        int fd = Open(dir, ORdOnly | ODirectory | OCloExec);
        if (fd < 0)
        {
            return; // the rename happened; a directory that cannot be opened for fsync is not worth failing the write for
        }

        try
        {
            _ = Fsync(fd);
        }
        finally
        {
            _ = Close(fd);
        }
    }

    // open(2) flags on Linux (asm-generic/fcntl.h).
    private const int ORdOnly = 0;
    private const int ODirectory = 0x10000;
    private const int OCloExec = 0x80000;

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
