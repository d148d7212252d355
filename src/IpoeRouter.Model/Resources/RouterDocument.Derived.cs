namespace IpoeRouter.Model;

public sealed partial record RouterDocument
{
    /// <summary>
    /// The <c>net.ipv6.conf.IFACE.accept_ra</c> value the engine derives for an interface that
    /// declares <see cref="Interface.AcceptRa"/>: 0 when it takes none, 2 when it takes them while
    /// forwarding is on (1 would be ignored by the kernel), 1 otherwise; null when undeclared.
    /// </summary>
    public int? AcceptRaValueFor(Interface iface) => iface.AcceptRa switch
    {
        null when iface.Role != InterfaceRole.Wan => null,
        false => 0,
        _ => Ipv6ForwardingOn ? 2 : 1,
    };
}
