using System.Net;
using System.Net.Sockets;

namespace IpoeRouter.Services.RaSender;

/// <summary>
/// A raw ICMPv6 socket on one LAN: bound to the interface (SO_BINDTODEVICE), hop limit 255 as RFC 4861
/// requires of ND, a member of all-routers (ff02::2), and filtered (ICMP6_FILTER) so only Router
/// Solicitations reach us, each with the hop limit it arrived with (IPV6_RECVHOPLIMIT). The kernel
/// fills in the ICMPv6 checksum and picks the link-local source.
/// The socket belongs to the network namespace of the thread that opens it.
/// </summary>
public sealed class IcmpRaTransport : IRaTransport
{
    private const int SolIcmpv6 = 58, Icmp6Filter = 1;           // linux/icmpv6.h
    private const byte RouterSolicitationType = 133;

    private readonly Socket _socket;
    private readonly IPEndPoint _allNodes;

    private IcmpRaTransport(Socket socket, IPEndPoint allNodes)
    {
        _socket = socket;
        _allNodes = allNodes;
    }

    /// <summary>Opens the socket on <paramref name="interfaceName"/> (index <paramref name="interfaceIndex"/>).</summary>
    public static IcmpRaTransport Open(string interfaceName, int interfaceIndex)
    {
        var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Raw, ProtocolType.IcmpV6);
        try
        {
            Hosting.InterfaceSocket.BindToDevice(socket, interfaceName);
            byte[] filter = new byte[32];
            Array.Fill(filter, (byte)0xff); // block everything …
            int word = RouterSolicitationType >> 5, bit = RouterSolicitationType & 31;
            uint pass = ~(1u << bit);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(filter.AsSpan(word * 4), pass); // … but RS (host order: x86-64)
            socket.SetRawSocketOption(SolIcmpv6, Icmp6Filter, filter);
            socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastInterface, interfaceIndex);
            socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastTimeToLive, 255);
            socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.IpTimeToLive, 255);
            socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastLoopback, false);
            socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.AddMembership, new IPv6MulticastOption(IPAddress.Parse("ff02::2"), interfaceIndex));
            Hosting.HopLimitReceiver.Enable(socket);
            var allNodes = IPAddress.Parse("ff02::1");
            allNodes.ScopeId = interfaceIndex;
            return new IcmpRaTransport(socket, new IPEndPoint(allNodes, 0));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken) =>
        await _socket.SendToAsync(message, SocketFlags.None, _allNodes, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public ValueTask<Hosting.Ipv6Datagram> ReceiveAsync(byte[] buffer, CancellationToken cancellationToken) =>
        Hosting.HopLimitReceiver.ReceiveAsync(_socket, buffer, cancellationToken);

    /// <inheritdoc/>
    public void Dispose() => _socket.Dispose();
}
