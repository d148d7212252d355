namespace IpoeRouter.Model;

/// <summary>
/// A network interface the router manages (YAML <c>interfaces</c>). Only the properties that are
/// declared (non-null) are managed; the rest is left as the system has it.
/// </summary>
public sealed record Interface(string Name)
{
    /// <summary>What the interface is for.</summary>
    public InterfaceRole Role { get; init; } = InterfaceRole.None;

    /// <summary>Administrative state; null leaves it alone (the engine brings WAN and LAN up when undeclared).</summary>
    public bool? Up { get; init; }

    /// <summary>The link MTU.</summary>
    public int? Mtu { get; init; }

    /// <summary>Whether the WAN's IPv4 address comes from the HGW by DHCPv4.</summary>
    public bool? Dhcp4 { get; init; }

    /// <summary>
    /// Whether the interface takes Router Advertisements (SLAAC address and default route). With
    /// forwarding on this means <c>accept_ra = 2</c>; the engine derives the value.
    /// </summary>
    public bool? AcceptRa { get; init; }

    /// <summary>Addresses to carry, fixed or bound to a delegation.</summary>
    public ValueList<AddressSpec> Addresses { get; init; } = ValueList<AddressSpec>.Empty;

    /// <summary>True when the interface gets RAs: declared, or implied by the WAN role.</summary>
    public bool TakesRouterAdvertisements => AcceptRa ?? Role == InterfaceRole.Wan;
}
