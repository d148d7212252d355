using System.Net;
using System.Net.Sockets;
using System.Text;

namespace IpoeRouter.Services.Hosting;

/// <summary>
/// Sockets that belong to one interface only (SO_BINDTODEVICE): a service on a LAN never hears the
/// WAN, and two LANs can each have their own socket on the same port. Opened in the network
/// namespace of the calling thread.
/// </summary>
public static class InterfaceSocket
{
    private const int SolSocket = 1, SoBindToDevice = 25; // asm-generic/socket.h

    /// <summary>Ties <paramref name="socket"/> to <paramref name="interfaceName"/>.</summary>
    public static void BindToDevice(Socket socket, string interfaceName) =>
        socket.SetRawSocketOption(SolSocket, SoBindToDevice, Encoding.ASCII.GetBytes(interfaceName + "\0"));

    /// <summary>
    /// A UDP socket on [::]:<paramref name="port"/> of <paramref name="interfaceName"/>, deliberately
    /// without SO_REUSEADDR: when another program holds the port this throws
    /// <see cref="PortInUseException"/> naming it and its pid (read from /proc), with
    /// <paramref name="service"/> and <paramref name="advice"/> saying what needed it and what to stop.
    /// </summary>
    public static Socket Udp(string interfaceName, int port, string service, string advice) =>
        Open(AddressFamily.InterNetworkV6, interfaceName, port, service, advice);

    /// <summary>
    /// <see cref="Udp"/> for IPv4: a UDP socket on 0.0.0.0:<paramref name="port"/> of
    /// <paramref name="interfaceName"/> that may send to 255.255.255.255 (SO_BROADCAST). Bound to the
    /// wildcard address because DHCPv4 clients without an address send from 0.0.0.0 to the broadcast
    /// address, which a socket bound to the interface's address would never hear.
    /// </summary>
    public static Socket Udp4(string interfaceName, int port, string service, string advice)
    {
        Socket socket = Open(AddressFamily.InterNetwork, interfaceName, port, service, advice);
        socket.EnableBroadcast = true;
        return socket;
    }

    private static Socket Open(AddressFamily family, string interfaceName, int port, string service, string advice)
    {
        var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            BindToDevice(socket, interfaceName);
            try
            {
                socket.Bind(new IPEndPoint(family == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, port));
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                IReadOnlyList<PortHolderProcess> holders = PortHolder.Udp(port);
                string who = holders.Count > 0 ? string.Join(", ", holders) : "a program this process cannot see";
                throw new PortInUseException($"The {service} port (UDP {port}) on {interfaceName} is held by {who}; stop it ({advice}).", e);
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
