using System.Net;

namespace IpoeRouter.Services.Dhcp4Client;

/// <summary>What a <see cref="Dhcp4Frame"/> holds.</summary>
public enum Dhcp4FrameKind
{
    /// <summary>A DHCP message (the UDP payload for port 68).</summary>
    Dhcp,

    /// <summary>An ARP packet (without the Ethernet header).</summary>
    Arp,
}

/// <summary>One frame the transport wrote to the receive buffer: its length and what it is.</summary>
/// <param name="Length">Bytes written.</param>
/// <param name="Kind">A DHCP message or an ARP packet.</param>
public readonly record struct Dhcp4Frame(int Length, Dhcp4FrameKind Kind);

/// <summary>How the DHCPv4 client's packets leave and arrive: sockets on the WAN in production (<see cref="Dhcp4ClientSockets"/>), queues in tests.</summary>
public interface IDhcp4ClientTransport : IDisposable
{
    /// <summary>Sends one message to <paramref name="destination"/> port 67 (255.255.255.255 or the server) out of the WAN.</summary>
    ValueTask SendAsync(ReadOnlyMemory<byte> packet, IPAddress destination, CancellationToken cancellationToken);

    /// <summary>Waits for the next DHCP message to port 68, or ARP packet while ARP is listened to, and writes it to <paramref name="buffer"/>.</summary>
    ValueTask<Dhcp4Frame> ReceiveAsync(byte[] buffer, CancellationToken cancellationToken);

    /// <summary>Listens where the client's state needs it (<see cref="Dhcp4Client.Listening"/>) from now on.</summary>
    void Listen(Dhcp4Listening listening);

    /// <summary>Broadcasts one ARP packet on the WAN (an RFC 5227 probe).</summary>
    ValueTask SendArpAsync(ReadOnlyMemory<byte> packet, CancellationToken cancellationToken);
}
