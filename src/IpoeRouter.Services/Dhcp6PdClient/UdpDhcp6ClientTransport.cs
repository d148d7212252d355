using System.Net;
using System.Net.Sockets;
using IpoeRouter.Services.Hosting;

namespace IpoeRouter.Services.Dhcp6PdClient;

/// <summary>
/// The PD client's UDP socket: bound to port 546 on one interface only (SO_BINDTODEVICE), sending to
/// All_DHCP_Relay_Agents_and_Servers (ff02::1:2) port 547 out of that interface. The socket belongs to
/// the network namespace of the thread that opens it, so the agent opens it inside the router's.
/// </summary>
public sealed class UdpDhcp6ClientTransport : IDhcp6ClientTransport
{
    /// <summary>The DHCPv6 client port.</summary>
    public const int ClientPort = 546;

    /// <summary>The DHCPv6 server/relay port.</summary>
    public const int ServerPort = 547;

    private readonly Socket _socket;
    private readonly IPEndPoint _servers;

    private UdpDhcp6ClientTransport(Socket socket, IPEndPoint servers)
    {
        _socket = socket;
        _servers = servers;
    }

    /// <summary>
    /// Opens the socket on <paramref name="interfaceName"/> (index <paramref name="interfaceIndex"/>).
    /// The link-local address must have finished DAD, or sending fails with EADDRNOTAVAIL. No SO_REUSEADDR:
    /// a second program on the client port is an error here, not a silent split of the replies.
    /// </summary>
    public static UdpDhcp6ClientTransport Open(string interfaceName, int interfaceIndex)
    {
        Socket socket = InterfaceSocket.Udp(interfaceName, ClientPort, "DHCPv6 client",
            "another DHCPv6 client such as dhclient, dhcpcd or systemd-networkd, so the router's PD client can run");
        try
        {
            socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastInterface, interfaceIndex);
            var servers = IPAddress.Parse("ff02::1:2");
            servers.ScopeId = interfaceIndex;
            return new UdpDhcp6ClientTransport(socket, new IPEndPoint(servers, ServerPort));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> packet, CancellationToken cancellationToken) =>
        await _socket.SendToAsync(packet, SocketFlags.None, _servers, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public void Dispose() => _socket.Dispose();
}
