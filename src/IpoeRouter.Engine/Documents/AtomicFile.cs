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
    public static void Write(string path, ReadOnlySpan<byte> content, Action? beforeRename = null) =>
        Write(path, content, beforeRename, privateState: false);

    /// <summary>
    /// <see cref="Write(string, ReadOnlySpan{byte}, Action?)"/> for state (leases, DUIDs, journals): the
    /// file is 0600 from the moment it exists, whatever the old one's mode, and its directory 0700
    /// (<see cref="Services.Storage.PrivateState"/>).
    /// </summary>
    public static void WritePrivate(string path, ReadOnlySpan<byte> content, Action? beforeRename = null) =>
        Write(path, content, beforeRename, privateState: true);

    private static void Write(string path, ReadOnlySpan<byte> content, Action? beforeRename, bool privateState)
    {
        string full = ResolveTarget(System.IO.Path.GetFullPath(path));
        string dir = System.IO.Path.GetDirectoryName(full)!;
        if (privateState)
        {
            Services.Storage.PrivateState.EnsureDirectory(dir);
        }
        else
        {
            Directory.CreateDirectory(dir);
        }

        string temp = System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (privateState)
            {
                options.UnixCreateMode = Services.Storage.PrivateState.FileMode;
            }

            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            if (!privateState)
            {
                File.SetUnixFileMode(temp, File.Exists(full) ? File.GetUnixFileMode(full) : DefaultMode);
            }

            // Writers of this library take the directory's lock for the check and the rename, so
            // that a check cannot pass for two writers before either renames.
            using (LockDirectory(dir))
            {
                beforeRename?.Invoke();
                File.Move(temp, full, overwrite: true);
            }

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

    /// <summary>
    /// The file a path finally names: a document kept in git and linked into /etc is written where
    /// it lives, and the link stays a link.
    /// </summary>
    public static string ResolveTarget(string path)
    {
        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
        }
        catch (IOException)
        {
            return path; // a dangling or looping link: write the path itself and let that fail or succeed
        }
    }

    private static DirectoryLock LockDirectory(string dir)
    {
        int fd = Open(dir, ORdOnly | ODirectory | OCloExec);
        if (fd < 0)
        {
            throw new IOException($"Cannot open {dir} to lock it (errno {Marshal.GetLastPInvokeError()}).");
        }

        if (Flock(fd, LockExclusive) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            _ = Close(fd);
            throw new IOException($"Cannot lock {dir} (errno {errno}).");
        }

        return new DirectoryLock(fd);
    }

    /// <summary>Holds <c>flock(LOCK_EX)</c> on a directory until disposed.</summary>
    private sealed class DirectoryLock(int fd) : IDisposable
    {
        public void Dispose() => _ = Close(fd); // closing the descriptor releases the lock
    }

    /// <summary>The rename happened; a directory that cannot be opened for fsync is not worth failing the write for.</summary>
    private static void SyncDirectory(string dir) => _ = Linux.Io.DirectorySync.Sync(dir);

    // open(2) flags on Linux (asm-generic/fcntl.h).
    private const int ORdOnly = 0;
    private const int ODirectory = 0x10000;
    private const int OCloExec = 0x80000;

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    // flock(2) operation (sys/file.h).
    private const int LockExclusive = 2;

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
