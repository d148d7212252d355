using System.Globalization;

namespace IpoeRouter.Services.Hosting;

/// <summary>A program holding a socket: its pid and its name (<c>/proc/PID/comm</c>).</summary>
public sealed record PortHolderProcess(int Pid, string Name)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Name} (pid {Pid})";
}

/// <summary>A service's port is taken by another program; the message names it.</summary>
public sealed class PortInUseException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// Finds who holds a UDP port, the way <c>ss -ulpn</c> does: the socket's inode from
/// <c>/proc/thread-self/net/udp</c> and <c>udp6</c> (so the calling thread's network namespace
/// counts), then the process whose <c>/proc/PID/fd</c> links to <c>socket:[inode]</c>. A port held by
/// a program in another namespace is not seen, which is right: it does not conflict.
/// </summary>
public static partial class PortHolder
{
    /// <summary>The programs holding UDP <paramref name="port"/> in the calling thread's namespace (empty if none is found or /proc is not readable).</summary>
    public static IReadOnlyList<PortHolderProcess> Udp(int port) => Find(port, "/proc/thread-self/net/udp", "/proc/thread-self/net/udp6");

    /// <summary>The programs holding TCP <paramref name="port"/> (listening or connected) in the calling thread's namespace.</summary>
    public static IReadOnlyList<PortHolderProcess> Tcp(int port) => Find(port, "/proc/thread-self/net/tcp", "/proc/thread-self/net/tcp6");

    private static List<PortHolderProcess> Find(int port, params string[] tables)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (string table in tables)
        {
            if (!File.Exists(table))
            {
                continue;
            }

            foreach (string line in File.ReadLines(table).Skip(1))
            {
                // "sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ..." with address:PORT in hex
                string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && int.Parse(fields[1][(fields[1].LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port)
                {
                    inodes.Add($"socket:[{fields[9]}]");
                }
            }
        }

        return inodes.Count == 0 ? [] : [.. ProcessesHolding(inodes).Values.SelectMany(p => p).Distinct()];
    }

    /// <summary>
    /// The processes with a descriptor open on each of <paramref name="sockets"/> (<c>socket:[INODE]</c>
    /// link targets), by walking <c>/proc/PID/fd</c>. A process whose descriptors cannot be read (it
    /// ended, or reading needs a capability the caller lacks: ptrace rights over it) is left out.
    /// </summary>
    private static Dictionary<string, List<PortHolderProcess>> ProcessesHolding(IReadOnlySet<string> sockets)
    {
        var holders = new Dictionary<string, List<PortHolderProcess>>(StringComparer.Ordinal);
        foreach (string proc in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            try
            {
                PortHolderProcess? process = null;
                foreach (string fd in Directory.EnumerateFileSystemEntries(Path.Combine(proc, "fd")))
                {
                    if (new FileInfo(fd).LinkTarget is { } target && sockets.Contains(target))
                    {
                        process ??= new PortHolderProcess(pid, File.ReadAllText(Path.Combine(proc, "comm")).Trim());
                        if (!holders.TryGetValue(target, out List<PortHolderProcess>? list))
                        {
                            holders[target] = list = [];
                        }

                        if (!list.Contains(process))
                        {
                            list.Add(process);
                        }
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // the process ended while we looked, or is not ours to read
            }
        }

        return holders;
    }
}
