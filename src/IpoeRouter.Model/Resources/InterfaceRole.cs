namespace IpoeRouter.Model;

/// <summary>What an interface is for. The role decides defaults, e.g. a WAN takes Router Advertisements.</summary>
public enum InterfaceRole
{
    /// <summary>Neither side: the engine only applies what is declared.</summary>
    None,

    /// <summary>Towards the HGW / NGN: takes RAs, runs the DHCPv6-PD client.</summary>
    Wan,

    /// <summary>Towards the clients: gets a delegated /64, sends RAs, serves DHCP.</summary>
    Lan,
}
