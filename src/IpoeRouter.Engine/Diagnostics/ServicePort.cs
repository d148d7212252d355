namespace IpoeRouter.Engine.Diagnostics;

/// <summary>A port an embedded service listens on: its protocol (<c>udp</c> or <c>tcp</c>) and number.</summary>
public sealed record ServicePort(string Protocol, int Port)
{
    /// <summary>The DHCPv6-PD client (UDP 546, RFC 8415 §7.2), on the WAN.</summary>
    public static ServicePort Dhcp6Client { get; } = new("udp", 546);

    /// <summary>The stateless DHCPv6 server (UDP 547), on the LANs.</summary>
    public static ServicePort Dhcp6Server { get; } = new("udp", 547);

    /// <summary>The DHCPv4 server (UDP 67, RFC 2131 §4.1), on the LANs.</summary>
    public static ServicePort Dhcp4Server { get; } = new("udp", 67);

    /// <summary>The DHCPv4 client (UDP 68), on the WAN.</summary>
    public static ServicePort Dhcp4Client { get; } = new("udp", 68);

    /// <summary>The DNS forwarder over UDP (53), on the LANs' addresses.</summary>
    public static ServicePort DnsUdp { get; } = new("udp", 53);

    /// <summary>The DNS forwarder over TCP (53), on the LANs' addresses.</summary>
    public static ServicePort DnsTcp { get; } = new("tcp", 53);

    /// <summary>Every port the conflict scan looks at.</summary>
    public static IReadOnlyList<ServicePort> All { get; } = [Dhcp6Client, Dhcp6Server, Dhcp4Server, Dhcp4Client, DnsUdp, DnsTcp];

    /// <inheritdoc/>
    public override string ToString() => $"{Protocol}/{Port}";
}
