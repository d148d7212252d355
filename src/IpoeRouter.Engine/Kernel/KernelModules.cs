namespace IpoeRouter.Engine.Kernel;

/// <summary>What the running kernel can do that a netlink dump does not show: whether ip6tnl links can be made.</summary>
public static class KernelModules
{
    private static readonly Lazy<bool> s_loadable = new(Ip6TunnelLoadable);

    /// <summary>
    /// Whether the kernel can make an ip6tnl link: the ip6_tunnel module is loaded (or built in), or
    /// its module file is installed, so the kernel loads it on the first request for one. Read from
    /// /sys/module each time (a module loaded later counts at once); the installed files once.
    /// </summary>
    public static bool Ip6TunnelAvailable() => Directory.Exists("/sys/module/ip6_tunnel") || s_loadable.Value;

    private static bool Ip6TunnelLoadable()
    {
        string release;
        try
        {
            release = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        }
        catch (IOException)
        {
            return false;
        }

        string root = Path.Combine("/lib/modules", release);
        try
        {
            return File.Exists(Path.Combine(root, "modules.builtin")) && File.ReadLines(Path.Combine(root, "modules.builtin")).Any(l => l.EndsWith("/ip6_tunnel.ko", StringComparison.Ordinal))
                || Directory.Exists(Path.Combine(root, "kernel/net/ipv6"))
                    && Directory.EnumerateFiles(Path.Combine(root, "kernel/net/ipv6"), "ip6_tunnel.ko*").Any();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
