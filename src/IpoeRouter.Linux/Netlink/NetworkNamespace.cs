using static Tmds.Linux.LibC;

namespace IpoeRouter.Linux.Netlink;

/// <summary>
/// Where kernel calls go: the caller's own network namespace, or a named one (<c>/run/netns/NAME</c>).
/// Work that depends on the calling thread's namespace (opening /proc/sys/net files, creating
/// sockets) runs on a short-lived thread that enters the namespace and leaves again.
/// </summary>
public sealed class NetworkNamespace
{
    private NetworkNamespace(string? path) => Path = path;

    /// <summary>The caller's own namespace.</summary>
    public static NetworkNamespace Current { get; } = new(null);

    /// <summary>The file of the namespace, or null for the caller's own.</summary>
    public string? Path { get; }

    /// <summary>The namespace <c>ip netns add NAME</c> made.</summary>
    public static NetworkNamespace Named(string name) => new($"/run/netns/{name}");

    /// <summary>The namespace at <paramref name="path"/>.</summary>
    public static NetworkNamespace AtPath(string path) => new(path);

    /// <summary>
    /// What identifies this namespace instance: its inode (a namespace deleted and made again with
    /// the same name is another) and the boot it belongs to.
    /// </summary>
    public string Identity() => Run(() =>
        (File.ResolveLinkTarget("/proc/thread-self/ns/net", returnFinalTarget: false)?.Name ?? "?") + "@" + File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim());

    /// <summary>Opens a netlink socket (rtnetlink by default) in this namespace.</summary>
    public NetlinkSocket OpenSocket(TimeSpan? receiveTimeout = null, int protocol = Interop.NetlinkConstants.ProtocolRoute) =>
        Path is null ? NetlinkSocket.Open(receiveTimeout, protocol) : NetlinkSocket.OpenInNamespace(Path, receiveTimeout, protocol);

    /// <summary>Runs <paramref name="work"/> inside this namespace and returns its result; exceptions pass through.</summary>
    public T Run<T>(Func<T> work)
    {
        if (Path is null)
        {
            return work();
        }

        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var home = File.OpenHandle("/proc/thread-self/ns/net");
                using var target = File.OpenHandle(Path);
                if (setns((int)target.DangerousGetHandle(), CLONE_NEWNET) != 0)
                {
                    throw new IOException($"setns({Path}) failed: errno {errno}");
                }

                try
                {
                    result = work();
                }
                finally
                {
                    if (setns((int)home.DangerousGetHandle(), CLONE_NEWNET) != 0)
                    {
                        Environment.FailFast("Could not return a thread to its network namespace.");
                    }
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        { IsBackground = true, Name = "netns-run" };
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw(); // keeps the worker's stack
        }

        return result;
    }
}
