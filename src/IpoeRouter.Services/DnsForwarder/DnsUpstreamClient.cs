using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using IpoeRouter.Protocols.Dns;

namespace IpoeRouter.Services.DnsForwarder;

/// <summary>
/// Asks the upstream servers in turn, each with a new random ID, through a
/// <see cref="DnsServerExchange"/> (new source port, answer checked against the question, TCP when
/// truncated). A timeout, ICMP unreachable, SERVFAIL or REFUSED moves on to the next upstream.
/// </summary>
internal sealed class DnsUpstreamClient(DnsForwarderOptions options, Action<string> log)
{
    private readonly DnsServerExchange _exchange =
        new(options.UpstreamSocketFactory, options.UpstreamPort, options.UpstreamTimeout, RateLimited(log));

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
            DnsMessage? answer;
            try
            {
                answer = await _exchange.AskAsync(forwarded, upstream, stop).ConfigureAwait(false);
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

    /// <summary>The exchange's lines (malformed upstream answers) at most once a minute, with a count of those left out.</summary>
    private static Action<string> RateLimited(Action<string> log)
    {
        var limiter = new Hosting.LogRateLimiter(log);
        return line => limiter.Write("malformed", "DNS forwarder: " + line);
    }
}
