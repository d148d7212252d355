using IpoeRouter.Control;
using IpoeRouter.Engine.Kernel;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Model;

namespace IpoeRouter.Engine.Diagnostics;

/// <summary>
/// The I/O half of <c>Test-IpoeRouter</c>: reads the kernel of one namespace (links, addresses with
/// their flags, ip6tnl parameters, forwarding and accept_ra), the port holders and networkd's state
/// (<see cref="ConflictProbe"/>), the netplan files and crontabs, and the serving agent's status;
/// <see cref="RouterCheckScan"/> decides. Needs root to name every port holder and read root's crontab.
/// </summary>
public static class RouterProbe
{
    /// <summary>Where the hand-built router's watchdog scripts were installed, below the file root.</summary>
    public static IReadOnlyList<string> ScriptDirectories { get; } = ["usr/local/sbin", "usr/local/bin", "usr/sbin", "root"];

    /// <summary>
    /// The facts for <paramref name="document"/> in the host's namespace (<paramref name="namespaceName"/>
    /// null) or the one <c>ip netns add NAME</c> made. Files are read below <paramref name="fileRoot"/>
    /// (<c>/</c>; a test's directory otherwise). Throws <see cref="IpoeException"/> with
    /// <see cref="EngineErrorIds.NamespaceNotFound"/> or <see cref="EngineErrorIds.KernelUnavailable"/>.
    /// </summary>
    public static RouterFacts Gather(RouterDocument document, string? namespaceName, TimeSpan agentTimeout, CancellationToken cancellationToken, string fileRoot = "/")
    {
        ArgumentNullException.ThrowIfNull(document);
        KernelSnapshot kernel;
        NetworkNamespace ns;
        using (NetlinkKernel opened = NetlinkKernel.Open(namespaceName))
        {
            ns = namespaceName is null ? NetworkNamespace.Current : NetworkNamespace.Named(namespaceName);
            kernel = opened.Observe([.. document.Interfaces.SelectMany(i => new[] { Sysctl(i.Name, "forwarding"), Sysctl(i.Name, "accept_ra") })]);
        }

        List<LinkFacts> links = [.. document.Interfaces.Select(i =>
        {
            Linux.Rtnl.LinkInfo? link = kernel.Links.FirstOrDefault(l => l.Name == i.Name);
            return new LinkFacts(i.Name, link?.Index ?? 0, link?.IsUp ?? false, i.TakesRouterAdvertisements,
                kernel.Sysctl.GetValueOrDefault(Sysctl(i.Name, "forwarding")), kernel.Sysctl.GetValueOrDefault(Sysctl(i.Name, "accept_ra")));
        })];
        List<TunnelFacts> tunnels = [.. document.Tunnels.Where(t => t.Exist).Select(t =>
        {
            Linux.Rtnl.LinkInfo? link = kernel.Links.FirstOrDefault(l => l.Name == t.Name);
            return new TunnelFacts(t.Name, link is null ? null : link.Kind ?? "unknown", link?.Ip6Tnl?.Local);
        })];

        bool host = ns.Path is null;
        ConflictFacts conflicts = ConflictProbe.Gather(ns, Path.Combine(fileRoot, "run/systemd/netif/links"));
        IReadOnlyList<ConfigFile> netplan = host ? ReadAll(Files(Path.Combine(fileRoot, "etc/netplan"), "*.yaml")) : [];
        IReadOnlyList<ConfigFile> crontabs = ReadAll([
            Path.Combine(fileRoot, "etc/crontab"),
            .. Files(Path.Combine(fileRoot, "etc/cron.d"), "*"),
            Path.Combine(fileRoot, "var/spool/cron/crontabs/root"),
            Path.Combine(fileRoot, "var/spool/cron/root"),
        ]);
        List<string> scripts = [.. ScriptDirectories.SelectMany(d => RouterCheckScan.WatchdogNames.Select(n => Path.Combine(fileRoot, d, n))).Where(File.Exists)];
        return new RouterFacts(conflicts, links, kernel.Addresses, tunnels, netplan, crontabs, scripts, Agent(namespaceName, agentTimeout, cancellationToken));
    }

    /// <summary>The agent serving the namespace and its status, or why there is none.</summary>
    public static AgentFacts Agent(string? namespaceName, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (AgentLookup.For(namespaceName) is not { } registration)
        {
            return AgentFacts.None;
        }

        try
        {
            RouterStatus status = new AgentClient(registration.SocketPath, timeout).GetStatusAsync(cancellationToken).GetAwaiter().GetResult();
            return new AgentFacts(registration.Pid, status, null);
        }
        catch (IpoeException e)
        {
            return new AgentFacts(registration.Pid, null, $"{e.Message} (control socket {registration.SocketPath})");
        }
    }

    private static string Sysctl(string link, string key) => $"net/ipv6/conf/{link}/{key}";

    private static IEnumerable<string> Files(string directory, string pattern) =>
        Directory.Exists(directory) ? Directory.EnumerateFiles(directory, pattern).Order(StringComparer.Ordinal) : [];

    private static List<ConfigFile> ReadAll(IEnumerable<string> paths)
    {
        var files = new List<ConfigFile>();
        foreach (string path in paths)
        {
            try
            {
                if (File.Exists(path))
                {
                    files.Add(new ConfigFile(path, File.ReadAllText(path)));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // gone while we looked, or not ours to read (root's crontab without root)
            }
        }

        return files;
    }
}
