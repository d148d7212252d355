using System.Net;
using System.Net.Sockets;
using IpoeRouter.Services.Hosting;

namespace IpoeRouter.Services.Dhcp4Client;

/// <summary>
/// The DHCPv4 client's UDP socket: 0.0.0.0:68 tied to one interface (SO_BINDTODEVICE) with
/// SO_BROADCAST, sending to 255.255.255.255:67 or unicast to the server. Before the address is
/// configured the kernel sends broadcasts from 0.0.0.0, and receives the server's broadcast replies
/// (the client sets the BROADCAST flag so they are broadcast); a unicast (RENEW, RELEASE) leaves from
/// the leased address, which the engine must have installed. The socket belongs to the network
/// namespace of the thread that opens it, so the agent opens it inside the router's.
/// </summary>
public sealed class UdpDhcp4ClientTransport : IDhcp4ClientTransport
{
    /// <summary>The DHCPv4 (BOOTP) client port.</summary>
    public const int ClientPort = 68;

    /// <summary>The DHCPv4 (BOOTP) server port.</summary>
    public const int ServerPort = 67;

    private readonly Socket _socket;

    private UdpDhcp4ClientTransport(Socket socket) => _socket = socket;

    /// <summary>
    /// Opens the socket on <paramref name="interfaceName"/>. No SO_REUSEADDR: when another program
    /// holds port 68 (dhclient, dhcpcd, systemd-networkd, udhcpc) this throws
    /// <see cref="PortInUseException"/> naming it and its pid.
    /// </summary>
    public static UdpDhcp4ClientTransport Open(string interfaceName)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            InterfaceSocket.BindToDevice(socket, interfaceName);
            socket.EnableBroadcast = true;
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Any, ClientPort));
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                IReadOnlyList<PortHolderProcess> holders = PortHolder.Udp(ClientPort);
                string who = holders.Count > 0 ? string.Join(", ", holders) : "a program this process cannot see";
                throw new PortInUseException(
                    $"The DHCPv4 client port (UDP {ClientPort}) on {interfaceName} is held by {who}; stop it (another DHCPv4 client such as dhclient, dhcpcd, udhcpc or systemd-networkd, so the router's WAN client can run).", e);
            }

            return new UdpDhcp4ClientTransport(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> packet, IPAddress destination, CancellationToken cancellationToken) =>
        await _socket.SendToAsync(packet, SocketFlags.None, new IPEndPoint(destination, ServerPort), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public void Dispose() => _socket.Dispose();
}
