using System.Globalization;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace IpoeRouter.Agent.Systemd;

/// <summary>
/// Whether a file descriptor is connected to journald. systemd sets <c>JOURNAL_STREAM</c> to
/// <c>DEVICE:INODE</c> of the stream it gave the service (systemd.exec(5)); the descriptor is
/// journald's only while its fstat(2) still shows that device and inode (a shell redirection or a
/// pipe to another program makes it something else, and the variable is then stale).
/// </summary>
public static class JournalStream
{
    /// <summary>The environment variable systemd sets.</summary>
    public const string Variable = "JOURNAL_STREAM";

    /// <summary>True when standard error (fd 2) is the stream <c>$JOURNAL_STREAM</c> names.</summary>
    public static bool IsStandardErrorJournal() => IsJournal(Environment.GetEnvironmentVariable(Variable), 2);

    /// <summary>True when <paramref name="journalStream"/> (<c>DEVICE:INODE</c>, decimal) names the file open on <paramref name="fd"/>.</summary>
    public static bool IsJournal(string? journalStream, int fd) =>
        TryParse(journalStream, out ulong device, out ulong inode) && Identity(fd) is { } id && id.Device == device && id.Inode == inode;

    /// <summary>Reads <c>DEVICE:INODE</c>; false for anything else (absent, empty, not two decimal numbers).</summary>
    public static bool TryParse(string? journalStream, out ulong device, out ulong inode)
    {
        device = inode = 0;
        int colon = journalStream?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        return colon > 0
            && ulong.TryParse(journalStream.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out device)
            && ulong.TryParse(journalStream.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out inode);
    }

    /// <summary>The device and inode fstat(2) reports for <paramref name="fd"/>, or null when it fails (a closed descriptor).</summary>
    public static unsafe (ulong Device, ulong Inode)? Identity(int fd)
    {
        stat st;
        return fstat(fd, &st) == 0 ? ((ulong)st.st_dev, (ulong)st.st_ino) : null;
    }
}
