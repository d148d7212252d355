using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using IpoeRouter.Protocols.Dns;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Services.DnsForwarder;

/// <summary>
/// One query to one DNS server, the way every upstream question of the router is asked: a new UDP
/// socket (so a new random source port, RFC 5452 §9.2) connected to the server; an answer counts
/// only if it comes from that address and port with the query's ID and the same question (anything
/// else is read past until the timeout). A truncated answer is asked again over TCP (RFC 7766 §5),
/// with a timeout of its own. The caller picks the query's ID (a fresh random one per try).
/// </summary>
/// <param name="socketFactory">Makes each socket (in the right network namespace).</param>
/// <param name="port">The servers' port (53; tests use another).</param>
/// <param name="timeout">How long the UDP exchange, and then the TCP one, may take.</param>
/// <param name="log">Told about dropped malformed answers.</param>
internal sealed class DnsServerExchange(Func<AddressFamily, SocketType, ProtocolType, Socket> socketFactory, int port, TimeSpan timeout, Action<string> log)
{
    /// <summary>
    /// The server's answer to <paramref name="query"/>, or null when it closed the TCP connection
    /// without one. Silence past the timeout is an <see cref="OperationCanceledException"/> while
    /// <paramref name="stop"/> is not cancelled; an ICMP error or a refused TCP connection is a
    /// <see cref="SocketException"/>.
    /// </summary>
    public async Task<DnsMessage?> AskAsync(DnsMessage query, IPAddress server, CancellationToken stop)
    {
        var to = new IPEndPoint(server, port);
        DnsMessage? answer = await AskUdpAsync(query, to, stop).ConfigureAwait(false);
        return answer is { Truncated: true } ? await AskTcpAsync(query, to, stop).ConfigureAwait(false) : answer;
    }

    private async Task<DnsMessage?> AskUdpAsync(DnsMessage query, IPEndPoint server, CancellationToken stop)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(timeout);
        using Socket socket = socketFactory(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(server, deadline.Token).ConfigureAwait(false);
        await socket.SendAsync(query.ToArray(), SocketFlags.None, deadline.Token).ConfigureAwait(false);
        byte[] buffer = new byte[ushort.MaxValue];
        var any = new IPEndPoint(server.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        while (true)
        {
            SocketReceiveFromResult r = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, deadline.Token).ConfigureAwait(false);
            if (r.RemoteEndPoint is IPEndPoint from && from.Address.Equals(server.Address) && from.Port == server.Port &&
                Matching(query, server.Address, buffer.AsSpan(0, r.ReceivedBytes)) is { } answer)
            {
                return answer;
            }
        }
    }

    private async Task<DnsMessage?> AskTcpAsync(DnsMessage query, IPEndPoint server, CancellationToken stop)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(timeout);
        using Socket socket = socketFactory(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server, deadline.Token).ConfigureAwait(false);
        await DnsTcpFraming.WriteAsync(socket, query.ToArray(), deadline.Token).ConfigureAwait(false);
        byte[]? reply = await DnsTcpFraming.ReadAsync(socket, deadline.Token).ConfigureAwait(false);
        return reply is null ? null : Matching(query, server.Address, reply);
    }

    private DnsMessage? Matching(DnsMessage query, IPAddress server, ReadOnlySpan<byte> reply)
    {
        if (reply.Length < 2 || BinaryPrimitives.ReadUInt16BigEndian(reply) != query.Id)
        {
            return null;
        }

        try
        {
            DnsMessage answer = DnsMessage.Parse(reply);
            return answer.IsResponse && answer.Questions.Count == 1 && answer.Questions[0] == query.Questions[0] ? answer : null;
        }
        catch (WireFormatException e)
        {
            log($"dropped a malformed answer from {server} to {query.Questions[0]}: {e.Message}");
            return null;
        }
    }
}
