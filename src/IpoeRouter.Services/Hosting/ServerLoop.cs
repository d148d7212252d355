using System.Net;
using System.Net.Sockets;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Services.Hosting;

/// <summary>
/// The loop a LAN server's host runs (the DHCPv4 server and the stateless DHCPv6 server alike), as
/// the clients share <see cref="ClientLoop"/>: receive a datagram, parse it, hand the message and its
/// sender to the host; a datagram that does not parse is reported to the host and
/// dropped (the one place <see cref="WireFormatException"/> is caught); end quietly when the token ends.
/// </summary>
internal static class ServerLoop
{
    /// <summary>Serves <paramref name="socket"/> until <paramref name="stop"/> is cancelled.</summary>
    /// <typeparam name="TMessage">The protocol's message.</typeparam>
    /// <param name="socket">The bound socket.</param>
    /// <param name="any">The wildcard endpoint of the socket's family (what ReceiveFrom fills in).</param>
    /// <param name="parse">The codec's Parse.</param>
    /// <param name="received">Called for every datagram, before it is parsed (counters).</param>
    /// <param name="malformed">Called with the length, the sender and the codec's error of a datagram that did not parse.</param>
    /// <param name="request">Handles one parsed message from its sender.</param>
    /// <param name="stop">Ends the loop.</param>
    public static async Task RunAsync<TMessage>(
        Socket socket,
        EndPoint any,
        ParseDatagram<TMessage> parse,
        Action received,
        Action<int, EndPoint, WireFormatException> malformed,
        Func<TMessage, EndPoint, ValueTask> request,
        CancellationToken stop)
    {
        byte[] buffer = new byte[ushort.MaxValue];
        while (!stop.IsCancellationRequested)
        {
            SocketReceiveFromResult datagram;
            try
            {
                datagram = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }

            received();
            TMessage message;
            try
            {
                message = parse(buffer.AsSpan(0, datagram.ReceivedBytes));
            }
            catch (WireFormatException e)
            {
                malformed(datagram.ReceivedBytes, datagram.RemoteEndPoint, e);
                continue;
            }

            await request(message, datagram.RemoteEndPoint).ConfigureAwait(false);
        }
    }

    /// <summary>A codec's Parse over a span (a delegate type: spans cannot be generic arguments of Func).</summary>
    public delegate TMessage ParseDatagram<out TMessage>(ReadOnlySpan<byte> datagram);
}
