using System.Buffers.Binary;
using System.Net.Sockets;

namespace IpoeRouter.Services.DnsForwarder;

/// <summary>DNS over TCP framing (RFC 1035 §4.2.2): each message preceded by its length in two bytes.</summary>
internal static class DnsTcpFraming
{
    /// <summary>The next message, or null when the peer closed the connection between messages.</summary>
    public static async Task<byte[]?> ReadAsync(Socket socket, CancellationToken cancel)
    {
        byte[] prefix = new byte[2];
        if (!await ReadExactlyAsync(socket, prefix, cancel).ConfigureAwait(false))
        {
            return null;
        }

        byte[] message = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        return await ReadExactlyAsync(socket, message, cancel).ConfigureAwait(false) ? message : null;
    }

    /// <summary>Writes the length and the message in one send.</summary>
    public static async Task WriteAsync(Socket socket, byte[] message, CancellationToken cancel)
    {
        byte[] framed = new byte[message.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, checked((ushort)message.Length));
        message.CopyTo(framed, 2);
        int sent = 0;
        while (sent < framed.Length)
        {
            sent += await socket.SendAsync(framed.AsMemory(sent), SocketFlags.None, cancel).ConfigureAwait(false);
        }
    }

    private static async Task<bool> ReadExactlyAsync(Socket socket, byte[] buffer, CancellationToken cancel)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, cancel).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}
