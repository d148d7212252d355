using IpoeRouter.Linux.Netlink;

namespace IpoeRouter.Linux.Sysctl;

/// <summary>
/// Kernel parameters through /proc/sys, in a given network namespace (the <c>net.*</c> tree is per
/// namespace). Keys are paths below /proc/sys (<c>net/ipv6/conf/enp1s0.100/accept_ra</c>), so a dot in
/// an interface name needs no escaping here.
/// </summary>
public sealed class SysctlAccess(NetworkNamespace ns)
{
    /// <summary>The current value (trimmed), or null when the key does not exist (yet): e.g. an interface not created.</summary>
    public string? Read(string procPath) => ns.Run(() =>
    {
        string file = Resolve(procPath);
        return File.Exists(file) ? File.ReadAllText(file).Trim() : null;
    });

    /// <summary>Reads several keys at once (one namespace entry for all).</summary>
    public IReadOnlyDictionary<string, string?> ReadMany(IEnumerable<string> procPaths)
    {
        var keys = procPaths.ToList();
        return ns.Run(() => keys.Distinct().ToDictionary(k => k, k => File.Exists(Resolve(k)) ? File.ReadAllText(Resolve(k)).Trim() : (string?)null));
    }

    /// <summary>Writes a value. Same as <c>sysctl -w</c>.</summary>
    public void Write(string procPath, string value) => ns.Run(() =>
    {
        File.WriteAllText(Resolve(procPath), value + "\n");
        return true;
    });

    private static string Resolve(string procPath)
    {
        string path = procPath.StartsWith("/proc/sys/", StringComparison.Ordinal) ? procPath : "/proc/sys/" + procPath.TrimStart('/');
        string full = System.IO.Path.GetFullPath(path);
        return full.StartsWith("/proc/sys/", StringComparison.Ordinal)
            ? full
            : throw new ArgumentException($"'{procPath}' is not below /proc/sys.", nameof(procPath));
    }
}
