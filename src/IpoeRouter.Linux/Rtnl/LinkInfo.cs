namespace IpoeRouter.Linux.Rtnl;

/// <summary>A link as the kernel lists it (<c>ip -d link show</c>).</summary>
public sealed record LinkInfo(int Index, string Name, uint Flags, int Mtu, string? Kind)
{
    /// <summary>Administratively up (<c>IFF_UP</c>).</summary>
    public bool IsUp => (Flags & Interop.NetlinkConstants.InterfaceUp) != 0;

    /// <summary>The tunnel's parameters when <see cref="Kind"/> is ip6tnl.</summary>
    public Ip6TnlLinkSpec? Ip6Tnl { get; init; }
}
