using System.Net;
using IpoeRouter.Protocols.Dhcp4;

namespace IpoeRouter.Services.Dhcp4Client;

/// <summary>Why the lease changed.</summary>
public enum Dhcp4LeaseChangeReason
{
    /// <summary>A new lease, after DISCOVER/OFFER/REQUEST/ACK.</summary>
    Acquired,

    /// <summary>The saved lease was confirmed after a restart (INIT-REBOOT, ACK).</summary>
    Confirmed,

    /// <summary>RENEW or REBIND was acknowledged: new times, possibly new options.</summary>
    Extended,

    /// <summary>The lease ran out without an answer to RENEW or REBIND (or while the client was down).</summary>
    Expired,

    /// <summary>A server answered NAK: the address is wrong for this network.</summary>
    Refused,

    /// <summary>No server answered INIT-REBOOT: the saved address is not used any more.</summary>
    Unconfirmed,

    /// <summary>A graceful stop gave the address back (RELEASE).</summary>
    Released,
}

/// <summary>What the DHCPv4 client asks its host to do.</summary>
public abstract record Dhcp4ClientAction;

/// <summary>
/// Send <paramref name="Message"/> to <paramref name="Destination"/> port 67 on the WAN:
/// <see cref="IPAddress.Broadcast"/> (255.255.255.255) or the server's address (RENEWING, RELEASE).
/// </summary>
public sealed record Dhcp4Send(Dhcp4Message Message, IPAddress Destination) : Dhcp4ClientAction;

/// <summary>
/// Broadcast <paramref name="Probe"/> on the WAN (an ARP request from 0.0.0.0 asking who has the new
/// address, RFC 5227 §2.1.1); the host reports the ARP packets it hears meanwhile with
/// <see cref="Dhcp4Client.ArpReceived"/>.
/// </summary>
public sealed record Dhcp4ArpProbe(IpoeRouter.Protocols.Arp.ArpPacket Probe) : Dhcp4ClientAction;

/// <summary>
/// The lease changed: the lease now held (null: none, remove the address and its subnet route), the
/// one held before (null: none), and why. The host persists the lease and the engine re-plans: it
/// installs <see cref="Dhcp4Lease.Address"/>/<see cref="Dhcp4Lease.PrefixLength"/> with the lease's
/// remaining time as its lifetimes, the on-link route to <see cref="Dhcp4Lease.Subnet"/>, offers
/// <see cref="Dhcp4Lease.DnsServers"/> to the forwarder, and never a default route from
/// <see cref="Dhcp4Lease.Routers"/>.
/// </summary>
public sealed record Dhcp4LeaseChanged(Dhcp4Lease? Lease, Dhcp4Lease? Previous, Dhcp4LeaseChangeReason Reason) : Dhcp4ClientAction;
