namespace IpoeRouter.Linux.Rtnl;

/// <summary>The kernel lacks the module a link kind needs (no ip6_tunnel: "Unknown device type").</summary>
public sealed class MissingKernelModuleException(string module, string operation, Exception inner)
    : Exception($"{operation} failed: this kernel has no {module} module (\"Unknown device type\"). Load it with 'modprobe {module}', or use a kernel built with it; where neither is possible, the user-space tunnel carries the traffic instead.", inner)
{
    /// <summary>The module's name, e.g. ip6_tunnel.</summary>
    public string Module { get; } = module;

    /// <summary>What was asked, in ip terms.</summary>
    public string Operation { get; } = operation;
}
