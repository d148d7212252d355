using System.Net;
using IpoeRouter.Protocols.Dhcp4;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Services.Dhcp4Client;

/// <summary>The client states of RFC 2131 §4.4 (figure 5), with a start and an end.</summary>
public enum Dhcp4ClientState
{
    /// <summary>Not started.</summary>
    Idle,

    /// <summary>No lease: waiting to send DISCOVER (after a NAK, or with a start delay).</summary>
    Init,

    /// <summary>DISCOVER sent, waiting for an OFFER.</summary>
    Selecting,

    /// <summary>REQUEST for an offered address sent, waiting for the ACK.</summary>
    Requesting,

    /// <summary>Holding a lease, waiting for T1.</summary>
    Bound,

    /// <summary>Between T1 and T2: REQUEST unicast to the server that granted the lease.</summary>
    Renewing,

    /// <summary>Between T2 and the lease's end: REQUEST broadcast to any server.</summary>
    Rebinding,

    /// <summary>Started with a saved lease: about to confirm it (RFC 2131 §3.2). Transient: the REQUEST goes out at once and the state becomes <see cref="Rebooting"/>.</summary>
    InitReboot,

    /// <summary>REQUEST for the saved address broadcast, waiting for ACK or NAK.</summary>
    Rebooting,

    /// <summary>Stopped (after a RELEASE, or without one).</summary>
    Stopped,
}

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
/// The lease changed: the lease now held (null: none, remove the address and its subnet route), the
/// one held before (null: none), and why. The host persists the lease and the engine re-plans: it
/// installs <see cref="Dhcp4Lease.Address"/>/<see cref="Dhcp4Lease.PrefixLength"/> with the lease's
/// remaining time as its lifetimes, the on-link route to <see cref="Dhcp4Lease.Subnet"/>, offers
/// <see cref="Dhcp4Lease.DnsServers"/> to the forwarder, and never a default route from
/// <see cref="Dhcp4Lease.Routers"/>.
/// </summary>
public sealed record Dhcp4LeaseChanged(Dhcp4Lease? Lease, Dhcp4Lease? Previous, Dhcp4LeaseChangeReason Reason) : Dhcp4ClientAction;

/// <summary>The DHCPv4 client's fixed settings.</summary>
/// <param name="HardwareAddress">The WAN's MAC address: <c>chaddr</c>, and the client identifier (type 1 + MAC, option 61).</param>
public sealed record Dhcp4ClientConfig(ByteString HardwareAddress)
{
    /// <summary>The options asked for in every DISCOVER and REQUEST (option 55).</summary>
    public static IReadOnlyList<byte> RequestedOptions { get; } =
    [
        Dhcp4OptionCode.SubnetMask, Dhcp4OptionCode.Router, Dhcp4OptionCode.DomainNameServer, Dhcp4OptionCode.DomainName,
        26, // Interface MTU (RFC 2132 §5.1)
        Dhcp4OptionCode.NtpServers, Dhcp4OptionCode.LeaseTime, Dhcp4OptionCode.ServerIdentifier,
        Dhcp4OptionCode.RenewalTime, Dhcp4OptionCode.RebindingTime, Dhcp4OptionCode.DomainSearch, Dhcp4OptionCode.ClasslessStaticRoute,
    ];

    /// <summary>A host name to send (option 12), or null for none.</summary>
    public string? HostName { get; init; }

    /// <summary>
    /// The most the first DISCOVER after a start waits (a random part of it). RFC 2131 §4.4.1 suggests
    /// 1–10 s so hosts powered on together do not all ask at once; a router is alone on its HGW's link and
    /// starts after its WAN is up, so the default is zero.
    /// </summary>
    public TimeSpan FirstDiscoverMaxDelay { get; init; } = TimeSpan.Zero;
}
