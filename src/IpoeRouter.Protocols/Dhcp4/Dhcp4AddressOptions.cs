using System.Net;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Protocols.Dhcp4;

/// <summary>Subnet Mask (RFC 2132 §3.3), option 1: the client's subnet mask, 4 bytes.</summary>
public sealed record SubnetMaskOption(IPAddress Mask) : Dhcp4Option
{
    /// <inheritdoc/>
    public override byte Code => Dhcp4OptionCode.SubnetMask;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w) => Ipv4Field.Write(w, Mask, nameof(Mask));
}

/// <summary>Router (RFC 2132 §3.5), option 3: routers on the client's subnet, in order of preference.</summary>
public sealed record RouterOption(IReadOnlyList<IPAddress> Routers) : Dhcp4Option
{
    /// <inheritdoc/>
    public override byte Code => Dhcp4OptionCode.Router;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w) => Ipv4Field.WriteList(w, Routers, nameof(Routers));
}

/// <summary>Domain Name Server (RFC 2132 §3.8), option 6: recursive DNS servers, in order of preference.</summary>
public sealed record DomainNameServerOption(IReadOnlyList<IPAddress> Servers) : Dhcp4Option
{
    /// <inheritdoc/>
    public override byte Code => Dhcp4OptionCode.DomainNameServer;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w) => Ipv4Field.WriteList(w, Servers, nameof(Servers));
}

/// <summary>Network Time Protocol Servers (RFC 2132 §8.3), option 42, in order of preference.</summary>
public sealed record NtpServersOption(IReadOnlyList<IPAddress> Servers) : Dhcp4Option
{
    /// <inheritdoc/>
    public override byte Code => Dhcp4OptionCode.NtpServers;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w) => Ipv4Field.WriteList(w, Servers, nameof(Servers));
}

/// <summary>Requested IP Address (RFC 2132 §9.1), option 50: the address a client asks for in DISCOVER or REQUEST.</summary>
public sealed record RequestedIpAddressOption(IPAddress Address) : Dhcp4Option
{
    /// <inheritdoc/>
    public override byte Code => Dhcp4OptionCode.RequestedIpAddress;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w) => Ipv4Field.Write(w, Address, nameof(Address));
}

/// <summary>Server Identifier (RFC 2132 §9.7), option 54: the address by which the server is known to the client.</summary>
public sealed record ServerIdentifierOption(IPAddress Address) : Dhcp4Option
{
    /// <inheritdoc/>
    public override byte Code => Dhcp4OptionCode.ServerIdentifier;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w) => Ipv4Field.Write(w, Address, nameof(Address));
}
