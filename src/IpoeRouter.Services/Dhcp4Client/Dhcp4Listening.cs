namespace IpoeRouter.Services.Dhcp4Client;

/// <summary>Where the DHCPv4 client's host must listen (<see cref="Dhcp4Client.Listening"/>).</summary>
public enum Dhcp4Listening
{
    /// <summary>The UDP socket on port 68: the address is configured and replies are routed to it.</summary>
    Socket,

    /// <summary>The link layer (a packet socket for UDP to port 68): no address yet, or an answer may come from a server the router has no route back to.</summary>
    LinkLayer,

    /// <summary>The link layer, and ARP: a new address is being probed.</summary>
    LinkLayerAndArp,
}
