namespace IpoeRouter.Model;

public sealed partial record RouterDocument
{
    /// <summary>
    /// The <c>net.ipv6.conf.IFACE.accept_ra</c> value the engine derives for an interface: 0 when it
    /// takes no Router Advertisements, 2 when it takes them, null when the document leaves it alone.
    /// 2 and not 1: with forwarding on the kernel ignores RAs at 1 (the seed router's 90-minute
    /// outage), and on a host that does not forward 2 behaves exactly like 1. Forwarding can also be
    /// turned on from outside the document (sysctl.conf, another tool), so 2 is the one value that
    /// is right either way.
    /// </summary>
    public int? AcceptRaValueFor(Interface iface) => iface.AcceptRa switch
    {
        null when iface.Role != InterfaceRole.Wan => null,
        false => 0,
        _ => 2,
    };

    /// <summary>
    /// True when the document turns IPv6 forwarding on for <paramref name="device"/>: globally
    /// (<c>net.ipv6.conf.all.forwarding</c>) or on the device itself.
    /// </summary>
    public bool Ipv6ForwardingOnFor(string device) =>
        Ipv6ForwardingOn || Sysctl.Any(s => s.IsConfKey("ipv6", device, "forwarding") && s.Value.Trim() != "0");

    /// <summary>The only WAN interface of the document, or null when there are none or several.</summary>
    public Interface? SingleWan() =>
        Interfaces.Count(i => i.Role == InterfaceRole.Wan) == 1 ? Interfaces.First(i => i.Role == InterfaceRole.Wan) : null;
}
