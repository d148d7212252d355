using Xunit;

namespace IpoeRouter.Lab;

/// <summary>
/// A test that needs root and network namespaces. It skips, with the reason shown, when the process
/// is not root or <c>ip</c> is missing; it never passes without running. CI runs as root.
/// </summary>
public sealed class NetnsFactAttribute : FactAttribute
{
    public NetnsFactAttribute()
    {
        if (Environment.UserName != "root" && !IsRootByUid())
        {
            Skip = "needs root to create network namespaces (CI runs as root)";
        }
        else if (!File.Exists("/usr/sbin/ip") && !File.Exists("/sbin/ip") && !File.Exists("/usr/bin/ip"))
        {
            Skip = "needs iproute2's ip to build the namespace (apt-get install iproute2)";
        }
    }

    private static bool IsRootByUid() =>
        File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal))?.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0";
}
