using IpoeRouter.Protocols.Dhcp4;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Services.Dhcp4Client;

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

    /// <summary>
    /// Whether a new address is ARP-probed before it is used (RFC 2131 §4.4.1 SHOULD, RFC 5227 §2.1),
    /// and declined when another host has it. On by default; off only where nothing answers ARP (tests
    /// of other parts of the exchange).
    /// </summary>
    public bool ProbeAddress { get; init; } = true;
}
