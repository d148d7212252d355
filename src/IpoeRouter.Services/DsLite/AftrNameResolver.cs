using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using IpoeRouter.Protocols.Dns;
using IpoeRouter.Services.DnsForwarder;

namespace IpoeRouter.Services.DsLite;

/// <summary>
/// Resolves the AFTR's name (the tunnel's <c>remote: { fqdn: … }</c>, or the AFTR-Name of DHCPv6
/// option 64, RFC 6334) to its AAAA through the WAN's DNS servers, in the order the caller gives:
/// the delegation's option 23 servers first, then the RDNSS of the WAN's RAs.
/// <para>
/// Each query goes through a <see cref="DnsServerExchange"/>, as the forwarder's do: a fresh random
/// ID and source port, the answer taken only from the server asked and only when it matches the
/// question, TCP when truncated. The reply is read by <see cref="AaaaReading"/>, which follows a
/// CNAME chain inside the answer. The first server whose reply has an address wins. A server that
/// says NXDOMAIN or has no AAAA does not end the search: the next is asked, since an address from
/// any of the WAN's servers is better than none. After a round over all servers, those that were
/// silent or said SERVFAIL are asked once more (<see cref="AftrNameResolverOptions.Attempts"/>).
/// </para>
/// Failures are results, not exceptions: <see cref="AftrAnswer.Detail"/> lists what each server
/// said. Only cancelling <c>stop</c> throws (<see cref="OperationCanceledException"/>).
/// </summary>
public sealed class AftrNameResolver
{
    private readonly AftrNameResolverOptions _options;
    private readonly DnsServerExchange _exchange;

    /// <summary>A resolver with <paramref name="options"/> (defaults when null); <paramref name="log"/> hears of dropped malformed answers.</summary>
    public AftrNameResolver(AftrNameResolverOptions? options = null, Action<string>? log = null)
    {
        _options = options ?? new AftrNameResolverOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.Attempts, 1, nameof(options));
        _exchange = new DnsServerExchange(_options.SocketFactory, _options.Port, _options.Timeout, m => log?.Invoke("AFTR name: " + m));
    }

    /// <summary>
    /// The AAAA of <paramref name="fqdn"/> from the first of <paramref name="servers"/> (repeats
    /// skipped) that has one, or the failure with each server's reply.
    /// </summary>
    public async Task<AftrAnswer> ResolveAsync(string fqdn, IReadOnlyList<IPAddress> servers, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(fqdn);
        ArgumentNullException.ThrowIfNull(servers);
        DnsName name;
        try
        {
            name = DnsName.Parse(fqdn.Trim());
        }
        catch (ArgumentException)
        {
            return AftrAnswer.Unresolved($"'{fqdn}' AAAA unresolved: not a DNS name (an empty label, a label over 63 bytes or a name over 255)");
        }

        if (name.IsRoot)
        {
            return AftrAnswer.Unresolved("the AFTR name is empty");
        }

        IPAddress[] asked = [.. servers.Distinct()];
        if (asked.Length == 0)
        {
            return AftrAnswer.Unresolved($"{name} AAAA unresolved: no DNS server known on the WAN yet");
        }

        var said = new Said?[asked.Length];
        for (int attempt = 0; attempt < _options.Attempts; attempt++)
        {
            for (int i = 0; i < asked.Length; i++)
            {
                if (said[i] is { Retry: false })
                {
                    continue;
                }

                Said now = await AskAsync(name, asked[i], stop).ConfigureAwait(false) with { Tries = attempt + 1 };
                if (now.Reading is { Found: true } found)
                {
                    return Answer(name, asked[i], found, said);
                }

                said[i] = now with { Responded = now.Responded || said[i] is { Responded: true } };
            }

            if (said.All(s => s is { Retry: false }))
            {
                break;
            }
        }

        IPAddress? first = asked.Where((_, i) => said[i] is { Responded: true }).FirstOrDefault();
        return AftrAnswer.Unresolved($"{name} AAAA unresolved: {Describe(said)}", first);
    }

    private async Task<Said> AskAsync(DnsName name, IPAddress server, CancellationToken stop)
    {
        var query = new DnsMessage
        {
            Id = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1),
            Flags = DnsMessage.QueryFlags(),
            Questions = [new DnsQuestion(name, DnsType.Aaaa)],
        };
        try
        {
            DnsMessage? reply = await _exchange.AskAsync(query, server, stop).ConfigureAwait(false);
            if (reply is null)
            {
                return new Said(server, null, "closed the TCP connection without an answer", Retry: true, Responded: false);
            }

            AaaaReading reading = AaaaReading.Read(name, reply);
            return new Said(server, reading, reading.Failure ?? "", reading.Retry, Responded: true);
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            return new Said(server, null, $"no answer in {_options.Timeout.TotalSeconds:0.###} s", Retry: true, Responded: false);
        }
        catch (SocketException e)
        {
            return new Said(server, null, Describe(e), Retry: false, Responded: false);
        }
    }

    private static AftrAnswer Answer(DnsName name, IPAddress server, AaaaReading found, Said?[] said)
    {
        string more = found.Addresses.Count > 1 ? $" and {found.Addresses.Count - 1} more" : "";
        string via = found.Aliases.Count > 0 ? $" via CNAME {string.Join(" -> ", found.Aliases)}" : "";
        string before = said.Any(s => s is not null) ? $" (before: {Describe(said)})" : "";
        string detail = $"{name} AAAA {found.Addresses[0]}{more}{via} from {server}, TTL {found.Ttl.TotalSeconds:0} s{before}";
        return new AftrAnswer(found.Addresses[0], found.Addresses, found.Ttl, detail, server);
    }

    /// <summary>"2001:db8::53: NXDOMAIN; 2001:db8::54: no answer in 2 s (asked 2 times)", for each server asked.</summary>
    private static string Describe(Said?[] said) => string.Join("; ", said.OfType<Said>().Select(s => s.ToString()));

    private string Describe(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => $"port {_options.Port} unreachable",
        SocketError.HostUnreachable => "host unreachable",
        SocketError.NetworkUnreachable => "no route to it",
        _ => $"socket error {e.SocketErrorCode}",
    };

    /// <summary>What <paramref name="Server"/> said in its last try (the <paramref name="Tries"/>th).</summary>
    private sealed record Said(IPAddress Server, AaaaReading? Reading, string Text, bool Retry, bool Responded, int Tries = 1)
    {
        public override string ToString() => Tries > 1 ? $"{Server}: {Text} (asked {Tries} times)" : $"{Server}: {Text}";
    }
}
