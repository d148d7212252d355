using System.Net;
using IpoeRouter.Protocols.Dhcp4;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Services.Dhcp4Server;

/// <summary>
/// What the server decided for one received message: a reply and where it goes
/// (<see cref="Dhcp4Reply"/>), or no reply and why (<see cref="Dhcp4NoReply"/>). Both may carry
/// <see cref="LeaseChanges"/>, which the host makes durable first and only then sends the reply:
/// an ACK goes out only once its lease is on disk. When persisting fails, the host drops the reply;
/// the client retries and is answered the same way.
/// </summary>
public abstract record Dhcp4Decision
{
    /// <summary>The changes to persist before the reply is sent, in order (empty for OFFER, NAK and INFORM).</summary>
    public IReadOnlyList<Dhcp4LeaseChange> LeaseChanges { get; init; } = [];
}

/// <summary>Send <paramref name="Message"/> to <paramref name="Destination"/> (after persisting <see cref="Dhcp4Decision.LeaseChanges"/>).</summary>
/// <param name="Message">The OFFER, ACK or NAK.</param>
/// <param name="Destination">Where it goes, by RFC 2131 §4.1.</param>
public sealed record Dhcp4Reply(Dhcp4Message Message, Dhcp4Destination Destination) : Dhcp4Decision;

/// <summary>No reply: <paramref name="Reason"/> for counting and tests, <paramref name="Detail"/> for the log.</summary>
/// <param name="Reason">Why, as a closed set.</param>
/// <param name="Detail">Why, in words, naming the scope, the client and the address where they matter.</param>
public sealed record Dhcp4NoReply(Dhcp4NoReplyReason Reason, string Detail) : Dhcp4Decision;

/// <summary>Why a message gets no reply.</summary>
public enum Dhcp4NoReplyReason
{
    /// <summary>Not a DHCP request this server answers: a BOOTREPLY, plain BOOTP (no option 53), a server's message type, or a request lacking what its type requires.</summary>
    Invalid,

    /// <summary>The client sent more than the rate limit allows; the message was dropped and counted.</summary>
    RateLimited,

    /// <summary>Relayed from another subnet (<c>giaddr</c> outside the scope), or an INFORM from an address outside it.</summary>
    NotThisScope,

    /// <summary>A REQUEST in SELECTING, a DECLINE or a RELEASE naming another server: our offer, if any, is forgotten.</summary>
    OtherServer,

    /// <summary>No free address for a DISCOVER: the pool is exhausted (the detail names the scope).</summary>
    PoolExhausted,

    /// <summary>A REQUEST in INIT-REBOOT from a client of which the server has no record (RFC 2131 §4.3.2: remain silent).</summary>
    UnknownClient,

    /// <summary>A DECLINE or RELEASE for an address the client does not hold here: ignored.</summary>
    NotHeld,

    /// <summary>A DECLINE was handled: the address is quarantined (DECLINE has no reply).</summary>
    Declined,

    /// <summary>A RELEASE was handled: the address is free (RELEASE has no reply).</summary>
    Released,
}

/// <summary>How a reply reaches the client (RFC 2131 §4.1).</summary>
public enum Dhcp4DestinationKind
{
    /// <summary>To the relay agent at <c>giaddr</c>, port 67.</summary>
    Relay,

    /// <summary>To 255.255.255.255, port 68, on the scope's interface.</summary>
    Broadcast,

    /// <summary>To the client's configured address <c>ciaddr</c>, port 68: ordinary IP unicast.</summary>
    Unicast,

    /// <summary>
    /// To <c>yiaddr</c>, port 68, at the hardware address <c>chaddr</c>: the client has no address
    /// yet and cannot answer ARP, so the socket layer installs a neighbour entry (or sends a raw
    /// frame) before it sends.
    /// </summary>
    UnicastToHardware,
}

/// <summary>Where a reply goes: a kind, an IPv4 address and UDP port, and for <see cref="Dhcp4DestinationKind.UnicastToHardware"/> the MAC.</summary>
/// <param name="Kind">How it is sent.</param>
/// <param name="Address">The IPv4 destination address.</param>
/// <param name="Port">The UDP destination port: 67 to a relay, 68 to a client.</param>
public sealed record Dhcp4Destination(Dhcp4DestinationKind Kind, IPAddress Address, int Port)
{
    /// <summary>The DHCP server port, where relays listen (RFC 2131 §4.1).</summary>
    public const int ServerPort = 67;

    /// <summary>The DHCP client port.</summary>
    public const int ClientPort = 68;

    /// <summary>The client's hardware address (<c>chaddr</c>) for <see cref="Dhcp4DestinationKind.UnicastToHardware"/>; empty otherwise.</summary>
    public ByteString HardwareAddress { get; init; }

    /// <summary>
    /// RFC 2131 §4.1 for a reply to <paramref name="request"/>: <c>giaddr</c> set → the relay; else a
    /// NAK → broadcast; else <c>ciaddr</c> set → unicast to it; else the BROADCAST flag → broadcast;
    /// else unicast to <paramref name="yourAddress"/> at <c>chaddr</c> (broadcast when there is no
    /// <c>yiaddr</c> or no <c>chaddr</c> to send to).
    /// </summary>
    public static Dhcp4Destination For(Dhcp4Message request, bool nak, IPAddress yourAddress)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(yourAddress);
        if (!Ipv4Number.IsZero(request.RelayAgentAddress))
        {
            return new Dhcp4Destination(Dhcp4DestinationKind.Relay, request.RelayAgentAddress, ServerPort);
        }

        if (nak)
        {
            return new Dhcp4Destination(Dhcp4DestinationKind.Broadcast, IPAddress.Broadcast, ClientPort);
        }

        if (!Ipv4Number.IsZero(request.ClientAddress))
        {
            return new Dhcp4Destination(Dhcp4DestinationKind.Unicast, request.ClientAddress, ClientPort);
        }

        if (request.Broadcast || Ipv4Number.IsZero(yourAddress) || request.HardwareAddress.Length == 0)
        {
            return new Dhcp4Destination(Dhcp4DestinationKind.Broadcast, IPAddress.Broadcast, ClientPort);
        }

        return new Dhcp4Destination(Dhcp4DestinationKind.UnicastToHardware, yourAddress, ClientPort) { HardwareAddress = request.HardwareAddress };
    }
}
