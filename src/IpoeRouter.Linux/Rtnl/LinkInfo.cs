namespace IpoeRouter.Linux.Rtnl;

/// <summary>A link as the kernel lists it (<c>ip -d link show</c>).</summary>
public sealed record LinkInfo(int Index, string Name, uint Flags, int Mtu, string? Kind)
{
    /// <summary>Administratively up (<c>IFF_UP</c>).</summary>
    public bool IsUp => (Flags & Interop.NetlinkConstants.InterfaceUp) != 0;

    /// <summary>The tunnel's parameters when <see cref="Kind"/> is ip6tnl.</summary>
    public Ip6TnlLinkSpec? Ip6Tnl { get; init; }

    /// <summary>The link-layer address (<c>IFLA_ADDRESS</c>) as <c>ip</c> prints it (<c>02:00:0d:b8:00:01</c>), or null when the link has none.</summary>
    public string? HardwareAddress { get; init; }

    /// <summary>The link-layer address as bytes (empty when none).</summary>
    public byte[] HardwareAddressBytes() =>
        HardwareAddress is null ? [] : HardwareAddress.Split(':').Select(h => Convert.ToByte(h, 16)).ToArray();
}
