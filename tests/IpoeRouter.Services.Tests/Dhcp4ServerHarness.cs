using System.Net;
using IpoeRouter.Protocols.Dhcp4;
using IpoeRouter.Protocols.Wire;
using IpoeRouter.Services.Dhcp4Server;
using Xunit;
using static IpoeRouter.Services.Tests.Dhcp4ServerFixture;

namespace IpoeRouter.Services.Tests;

/// <summary>
/// The scope the DHCPv4 server tests serve (192.0.2.0/24, server .1, pool .100–.110, lease 1 h,
/// every option configured) and requests as clients build them: client <c>n</c> has the MAC
/// 02:00:00:00:00:n and asks for every option unless a test gives its own request list.
/// </summary>
internal static class Dhcp4ServerFixture
{
    public static readonly IPAddress ServerAddress = A(1);
    public static readonly DateTimeOffset T0 = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
    public static readonly ParameterRequestListOption AskAll = new([1, 3, 6, 12, 15, 42, 119, 121]);

    public static readonly Dhcp4ScopeConfig Scope = new("lan", ServerAddress, IPNetwork.Parse("192.0.2.0/24"))
    {
        Pool = new Dhcp4AddressRange(A(100), A(110)),
        LeaseTime = TimeSpan.FromHours(1),
        Router = ServerAddress,
        DnsServers = [ServerAddress],
        NtpServers = [ServerAddress],
        DomainName = "home.example",
        SearchList = ["home.example"],
        ClasslessRoutes = [new ClasslessRoute(IPNetwork.Parse("203.0.113.0/24"), A(254))],
    };

    public static IPAddress A(int host) => new([192, 0, 2, (byte)host]);

    public static ByteString Mac(byte n) => new([0x02, 0, 0, 0, 0, n]);

    public static uint Xid(byte client) => 0x3903f300u + client;

    public static Dhcp4Message Message(Dhcp4MessageType type, byte client, IEnumerable<Dhcp4Option> options, IPAddress? ciaddr = null, IPAddress? giaddr = null, bool broadcast = false) => new()
    {
        TransactionId = Xid(client),
        HardwareAddress = Mac(client),
        Flags = broadcast ? Dhcp4Flags.Broadcast : Dhcp4Flags.None,
        ClientAddress = ciaddr ?? IPAddress.Any,
        RelayAgentAddress = giaddr ?? IPAddress.Any,
        Options = [new MessageTypeOption(type), .. options],
    };

    /// <summary>The options given, with the request list asking for everything unless one is given.</summary>
    private static Dhcp4Option[] Asking(Dhcp4Option[] options) => options.Any(o => o is ParameterRequestListOption) ? options : [.. options, AskAll];

    public static Dhcp4Message Discover(byte client, params Dhcp4Option[] options) => Message(Dhcp4MessageType.Discover, client, Asking(options));

    public static Dhcp4Message Select(byte client, IPAddress address, IPAddress? server = null, Dhcp4Option? extra = null) =>
        Message(Dhcp4MessageType.Request, client, Asking([new ServerIdentifierOption(server ?? ServerAddress), new RequestedIpAddressOption(address), .. Extra(extra)]));

    public static Dhcp4Message InitReboot(byte client, IPAddress address) =>
        Message(Dhcp4MessageType.Request, client, Asking([new RequestedIpAddressOption(address)]));

    public static Dhcp4Message Renew(byte client, IPAddress current, bool broadcast = false, Dhcp4Option? extra = null) =>
        Message(Dhcp4MessageType.Request, client, Asking([.. Extra(extra)]), ciaddr: current, broadcast: broadcast);

    public static Dhcp4Message Decline(byte client, IPAddress address) =>
        Message(Dhcp4MessageType.Decline, client, [new ServerIdentifierOption(ServerAddress), new RequestedIpAddressOption(address)]);

    public static Dhcp4Message Release(byte client, IPAddress address) =>
        Message(Dhcp4MessageType.Release, client, [new ServerIdentifierOption(ServerAddress)], ciaddr: address);

    private static Dhcp4Option[] Extra(Dhcp4Option? extra) => extra is null ? [] : [extra];
}

/// <summary>
/// One scope's server on an in-memory table, with the clock in the test's hands. Requests go
/// through the wire codec before the server sees them, replies before the test reads them.
/// </summary>
internal sealed class Dhcp4ServerHarness
{
    public Dhcp4ServerHarness(Dhcp4ScopeConfig? config = null, MemoryLeaseTable? table = null)
    {
        Table = table ?? new MemoryLeaseTable();
        Server = new ScopeServer(config ?? Scope, Table);
    }

    public MemoryLeaseTable Table { get; }

    public ScopeServer Server { get; }

    public DateTimeOffset Now { get; set; } = T0;

    /// <summary>The decision for <paramref name="request"/> as it arrives off the wire; a reply is re-read from its bytes.</summary>
    public Dhcp4Decision Send(Dhcp4Message request)
    {
        Dhcp4Decision decision = Server.Handle(Dhcp4Message.Parse(request.ToArray()), Now);
        return decision is Dhcp4Reply reply ? reply with { Message = Dhcp4Message.Parse(reply.Message.ToArray()) } : decision;
    }

    public Dhcp4Reply Reply(Dhcp4Message request) => Assert.IsType<Dhcp4Reply>(Send(request));

    public Dhcp4NoReply Silence(Dhcp4Message request) => Assert.IsType<Dhcp4NoReply>(Send(request));

    /// <summary>DISCOVER, then REQUEST of the offer; asserts the ACK and returns the address.</summary>
    public IPAddress Bind(byte client)
    {
        IPAddress offered = Reply(Discover(client)).Message.YourAddress;
        Assert.Equal(Dhcp4MessageType.Ack, Reply(Select(client, offered)).Message.MessageType);
        return offered;
    }
}
