namespace IpoeRouter.Model;

/// <summary>What carries a tunnel's packets (YAML <c>backend</c>).</summary>
public enum TunnelBackend
{
    /// <summary>The kernel's ip6tnl when the kernel has the ip6_tunnel module (loaded or loadable), else user space.</summary>
    Auto,

    /// <summary>The kernel's ip6tnl link; pending when the kernel cannot make one.</summary>
    Kernel,

    /// <summary>The agent's own B4: a TUN device for IPv4 and a raw IPv6 socket to the AFTR. Needs ipoe-agent running.</summary>
    Userspace,
}
