using System.Net;
using System.Net.Sockets;

namespace IpoeRouter.Services.Hosting;

/// <summary>One IPv6 datagram as received: its length in the buffer, the hop limit it arrived with, and its sender.</summary>
/// <param name="Length">Bytes written to the buffer.</param>
/// <param name="HopLimit">The IPv6 header's hop limit (IPV6_HOPLIMIT ancillary data); -1 when the kernel gave none.</param>
/// <param name="Source">The sender (with its scope id for a link-local address), or null when unknown.</param>
public readonly record struct Ipv6Datagram(int Length, int HopLimit, IPAddress? Source);

/// <summary>
/// Receives on an IPv6 socket together with each datagram's hop limit, which .NET's sockets do not
/// report: IPV6_RECVHOPLIMIT is set on the socket and each datagram is read with its IPV6_HOPLIMIT
/// control message (RFC 3542 §6.3). Used where the hop limit is part of the check, as for Neighbor
/// Discovery (RFC 4861 §6.1.1: 255, or the packet came from off link).
/// </summary>
internal static class HopLimitReceiver
{
    private const int SolIpv6 = 41, Ipv6RecvHopLimit = 51, Ipv6HopLimit = 52; // linux/in6.h
    private const ushort AfInet6 = 10;

    /// <summary>Asks the kernel for the hop limit of every datagram <paramref name="socket"/> receives.</summary>
    public static void Enable(Socket socket) => socket.SetRawSocketOption(SolIpv6, Ipv6RecvHopLimit, BitConverter.GetBytes(1));

    /// <summary>Waits for the next datagram and reads it into <paramref name="buffer"/> with its hop limit and sender.</summary>
    public static async ValueTask<Ipv6Datagram> ReceiveAsync(Socket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        byte[] name = new byte[28];    // struct sockaddr_in6
        byte[] control = new byte[64]; // room for a few cmsghdr + int
        SocketMessage m = await SocketMessages.ReceiveAsync(socket, buffer, name, control, cancellationToken).ConfigureAwait(false);
        return new Ipv6Datagram(m.Length, HopLimit(control.AsSpan(0, m.ControlLength)), Source(name, m.NameLength));
    }

    /// <summary>The IPV6_HOPLIMIT value among the control messages; -1 when absent.</summary>
    internal static int HopLimit(ReadOnlySpan<byte> control) =>
        SocketMessages.Find(control, SolIpv6, Ipv6HopLimit) is { Length: >= 4 } value ? BitConverter.ToInt32(value) : -1;

    private static IPAddress? Source(byte[] name, int length) =>
        length < 28 || BitConverter.ToUInt16(name, 0) != AfInet6 ? null : new IPAddress(name.AsSpan(8, 16), BitConverter.ToUInt32(name, 24));
}
