using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using IpoeRouter.Protocols.Dns;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Services.DnsForwarder;

/// <summary>
/// Asks the upstream servers in turn. Each try is a new UDP socket (so a new random source port,
/// RFC 5452 §9.2) connected to the upstream, with a new random ID; an answer counts only if it comes
/// from that address with that ID and the same question. A truncated answer is asked again over
/// TCP (RFC 7766 §5). A timeout, ICMP unreachable, SERVFAIL or REFUSED moves on to the next upstream.
/// </summary>
internal sealed class DnsUpstreamClient(DnsForwarderOptions options, Action<string> log)
{
    private readonly Hosting.LogRateLimiter _malformed = new(log);

    private IReadOnlyList<IPAddress> _upstreams = [];

    public IReadOnlyList<IPAddress> Upstreams
    {
        get => Volatile.Read(ref _upstreams);
        set => Volatile.Write(ref _upstreams, value);
    }

    /// <summary>The first usable upstream answer to <paramref name="query"/>, or the last SERVFAIL/REFUSED one, or null when none answered.</summary>
    public async Task<DnsMessage?> AskAsync(DnsMessage query, CancellationToken stop)
    {
        DnsMessage? fallback = null;
        foreach (IPAddress upstream in Upstreams)
        {
            var forwarded = query with { Id = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1) };
            var server = new IPEndPoint(upstream, options.UpstreamPort);
            DnsMessage? answer;
            try
            {
                answer = await AskUdpAsync(forwarded, server, stop).ConfigureAwait(false);
                if (answer is { Truncated: true })
                {
                    answer = await AskTcpAsync(forwarded, server, stop).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
                log($"DNS forwarder: {upstream} did not answer {query.Questions[0]} within {options.UpstreamTimeout.TotalSeconds} s");
                continue;
            }
            catch (SocketException e)
            {
                log($"DNS forwarder: {upstream} failed for {query.Questions[0]} ({e.SocketErrorCode})");
                continue;
            }

            if (answer is null)
            {
                continue;
            }

            if (answer.ResponseCode is DnsResponseCode.ServFail or DnsResponseCode.Refused)
            {
                fallback = answer;
                continue;
            }

            return answer;
        }

        return fallback;
    }

    private async Task<DnsMessage?> AskUdpAsync(DnsMessage query, IPEndPoint server, CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(options.UpstreamTimeout);
        using Socket socket = options.UpstreamSocketFactory(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(server, timeout.Token).ConfigureAwait(false);
        await socket.SendAsync(query.ToArray(), SocketFlags.None, timeout.Token).ConfigureAwait(false);
        byte[] buffer = new byte[ushort.MaxValue];
        while (true)
        {
            SocketReceiveFromResult r = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(server.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0), timeout.Token).ConfigureAwait(false);
            if (r.RemoteEndPoint is IPEndPoint from && from.Address.Equals(server.Address) && from.Port == server.Port &&
                Matching(query, buffer.AsSpan(0, r.ReceivedBytes)) is { } answer)
            {
                return answer;
            }
        }
    }

    private async Task<DnsMessage?> AskTcpAsync(DnsMessage query, IPEndPoint server, CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(options.UpstreamTimeout);
        using Socket socket = options.UpstreamSocketFactory(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server, timeout.Token).ConfigureAwait(false);
        await DnsTcpFraming.WriteAsync(socket, query.ToArray(), timeout.Token).ConfigureAwait(false);
        byte[]? reply = await DnsTcpFraming.ReadAsync(socket, timeout.Token).ConfigureAwait(false);
        return reply is null ? null : Matching(query, reply);
    }

    private DnsMessage? Matching(DnsMessage query, ReadOnlySpan<byte> reply)
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
            _malformed.Write("malformed", $"DNS forwarder: dropped a malformed upstream answer to {query.Questions[0]}: {e.Message}");
            return null;
        }
    }
}
