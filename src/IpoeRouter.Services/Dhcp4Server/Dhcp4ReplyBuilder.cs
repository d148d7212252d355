using System.Net;
using System.Text;
using IpoeRouter.Protocols.Dhcp4;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Services.Dhcp4Server;

/// <summary>
/// Builds the server's replies (RFC 2131 §4.3.1, table 3). The header copies <c>xid</c>,
/// <c>flags</c>, <c>giaddr</c>, <c>htype</c> and <c>chaddr</c> from the request; <c>ciaddr</c> is
/// echoed in an ACK only. Options, in this order:
/// <list type="bullet">
/// <item>always: 53 message type, 54 server identifier;</item>
/// <item>OFFER and ACK to a lease request (not INFORM): 51 lease time, 58 T1, 59 T2;</item>
/// <item>OFFER and ACK (INFORM too), whether asked or not: 1 subnet mask, 3 router and 6 DNS servers when configured;</item>
/// <item>only when the parameter request list (55) asks, or when the client sent no list: 12 the reservation's
/// host name, 15 domain name, 42 NTP servers, 119 domain search;</item>
/// <item>only when option 55 asks for it (RFC 3442): 121 classless routes, with 0.0.0.0/0 via the router added
/// when a router is set and the routes lack a default, because a client that takes 121 ignores 3;</item>
/// <item>61 the client identifier, echoed as it came (RFC 6842).</item>
/// </list>
/// A NAK carries 53, 54, 56 (a message saying why) and 61 only, and through a relay it sets the
/// BROADCAST flag so the relay broadcasts it (RFC 2131 §4.3.2).
/// </summary>
internal static class Dhcp4ReplyBuilder
{
    /// <summary>Message (RFC 2132 §9.9), option 56: text for the client's log, sent with a NAK.</summary>
    public const byte MessageOptionCode = 56;

    /// <summary>A DHCPOFFER of <paramref name="address"/>.</summary>
    public static Dhcp4Message Offer(Dhcp4ScopeConfig config, Dhcp4Message request, IPAddress address, Dhcp4Reservation? reservation) =>
        Header(request, IPAddress.Any, address, Configuration(config, request, Dhcp4MessageType.Offer, withLease: true, reservation));

    /// <summary>A DHCPACK of <paramref name="address"/> for a REQUEST.</summary>
    public static Dhcp4Message Ack(Dhcp4ScopeConfig config, Dhcp4Message request, IPAddress address, Dhcp4Reservation? reservation) =>
        Header(request, request.ClientAddress, address, Configuration(config, request, Dhcp4MessageType.Ack, withLease: true, reservation));

    /// <summary>A DHCPACK for an INFORM: configuration only, no <c>yiaddr</c>, no lease times (RFC 2131 §4.3.5).</summary>
    public static Dhcp4Message InformAck(Dhcp4ScopeConfig config, Dhcp4Message request, Dhcp4Reservation? reservation) =>
        Header(request, request.ClientAddress, IPAddress.Any, Configuration(config, request, Dhcp4MessageType.Ack, withLease: false, reservation));

    /// <summary>A DHCPNAK with <paramref name="why"/> in option 56.</summary>
    public static Dhcp4Message Nak(Dhcp4ScopeConfig config, Dhcp4Message request, string why)
    {
        var options = new List<Dhcp4Option>
        {
            new MessageTypeOption(Dhcp4MessageType.Nak),
            new ServerIdentifierOption(config.ServerAddress),
            new RawDhcp4Option(MessageOptionCode, new ByteString(Encoding.ASCII.GetBytes(why))),
        };
        EchoClientId(request, options);
        Dhcp4Message nak = Header(request, IPAddress.Any, IPAddress.Any, options);
        return Ipv4Number.IsZero(request.RelayAgentAddress) ? nak : nak with { Flags = nak.Flags | Dhcp4Flags.Broadcast };
    }

    private static Dhcp4Message Header(Dhcp4Message request, IPAddress clientAddress, IPAddress yourAddress, List<Dhcp4Option> options) => new()
    {
        Op = Dhcp4OpCode.BootReply,
        HardwareType = request.HardwareType,
        TransactionId = request.TransactionId,
        Flags = request.Flags,
        ClientAddress = clientAddress,
        YourAddress = yourAddress,
        RelayAgentAddress = request.RelayAgentAddress,
        HardwareAddress = request.HardwareAddress,
        Options = options,
    };

    private static List<Dhcp4Option> Configuration(Dhcp4ScopeConfig config, Dhcp4Message request, Dhcp4MessageType type, bool withLease, Dhcp4Reservation? reservation)
    {
        IReadOnlyList<byte>? asked = request.Find<ParameterRequestListOption>()?.Codes;
        bool Wants(byte code) => asked is null || asked.Contains(code);

        var options = new List<Dhcp4Option> { new MessageTypeOption(type), new ServerIdentifierOption(config.ServerAddress) };
        if (withLease)
        {
            options.Add(new LeaseTimeOption(Seconds(config.LeaseTime)));
            options.Add(new RenewalTimeOption(Seconds(config.EffectiveRenewalTime)));
            options.Add(new RebindingTimeOption(Seconds(config.EffectiveRebindingTime)));
        }

        options.Add(new SubnetMaskOption(Ipv4Number.Mask(config.Subnet.PrefixLength)));
        if (config.Router is { } router)
        {
            options.Add(new RouterOption([router]));
        }

        if (config.DnsServers.Count > 0)
        {
            options.Add(new DomainNameServerOption(config.DnsServers));
        }

        if (reservation?.HostName is { Length: > 0 } name && Wants(Dhcp4OptionCode.HostName))
        {
            options.Add(new HostNameOption(name));
        }

        if (config.DomainName is { Length: > 0 } domain && Wants(Dhcp4OptionCode.DomainName))
        {
            options.Add(new DomainNameOption(domain));
        }

        if (config.NtpServers.Count > 0 && Wants(Dhcp4OptionCode.NtpServers))
        {
            options.Add(new NtpServersOption(config.NtpServers));
        }

        if (config.SearchList.Count > 0 && Wants(Dhcp4OptionCode.DomainSearch))
        {
            options.Add(new DomainSearchOption(config.SearchList));
        }

        if (config.ClasslessRoutes.Count > 0 && asked is not null && asked.Contains(Dhcp4OptionCode.ClasslessStaticRoute))
        {
            options.Add(new ClasslessStaticRouteOption(WithDefault(config.ClasslessRoutes, config.Router)));
        }

        EchoClientId(request, options);
        return options;
    }

    private static IReadOnlyList<ClasslessRoute> WithDefault(IReadOnlyList<ClasslessRoute> routes, IPAddress? router) =>
        router is null || routes.Any(r => r.Destination.PrefixLength == 0)
            ? routes
            : [.. routes, new ClasslessRoute(new IPNetwork(IPAddress.Any, 0), router)];

    private static void EchoClientId(Dhcp4Message request, List<Dhcp4Option> options)
    {
        if (request.Find<ClientIdentifierOption>() is { } id)
        {
            options.Add(id);
        }
    }

    private static uint Seconds(TimeSpan span) => (uint)Math.Floor(span.TotalSeconds);
}
