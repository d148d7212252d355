using IpoeRouter.Protocols.Dns;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Services.DnsForwarder;

/// <summary>
/// The forwarder's decisions, without sockets, with time injected: a query is answered from
/// <see cref="LocalNames"/>, else from the <see cref="DnsCache"/>, else forwarded; an upstream answer
/// is cached by <see cref="DnsCachePolicy"/> and given back with the client's ID. Thread-safe.
/// </summary>
public sealed class DnsResolverCore
{
    /// <summary>The UDP payload size this forwarder advertises in its own OPT records (the DNS flag day 2020 value).</summary>
    public const ushort EdnsPayloadSize = 1232;

    private const int AaBit = 0x0400, RdBit = 0x0100;

    private readonly LocalNames _local;
    private readonly DnsCache _cache;
    private readonly DnsCachePolicy _policy;
    private long _queries, _localAnswers, _cacheHits, _forwarded, _failures, _dropped;

    /// <summary>Decides with <paramref name="local"/> names and a cache of <paramref name="cacheEntries"/> entries aged by <paramref name="time"/>.</summary>
    public DnsResolverCore(LocalNames local, TimeProvider time, int cacheEntries = 4096, DnsCachePolicy? policy = null)
    {
        _local = local ?? throw new ArgumentNullException(nameof(local));
        _cache = new DnsCache(cacheEntries, time ?? throw new ArgumentNullException(nameof(time)));
        _policy = policy ?? new DnsCachePolicy();
    }

    /// <summary>The local names answered.</summary>
    public LocalNames Local => _local;

    /// <summary>The cache (for its size; <see cref="DnsCache.Clear"/> when the upstreams change).</summary>
    public DnsCache Cache => _cache;

    /// <summary>A snapshot of the counters.</summary>
    public DnsForwarderCounters Counters => new(Interlocked.Read(ref _queries), Interlocked.Read(ref _localAnswers), Interlocked.Read(ref _cacheHits),
        Interlocked.Read(ref _forwarded), Interlocked.Read(ref _failures), Interlocked.Read(ref _dropped));

    /// <summary>Decides about a datagram or TCP message from a client: malformed input gets FORMERR when its header is readable, else nothing.</summary>
    public DnsDecision Decide(ReadOnlySpan<byte> message)
    {
        DnsMessage query;
        try
        {
            query = DnsMessage.Parse(message);
        }
        catch (WireFormatException)
        {
            Interlocked.Increment(ref _dropped);
            if (message.Length < DnsMessage.HeaderLength || (message[2] & 0x80) != 0)
            {
                return DnsDecision.Drop;
            }

            var header = new DnsMessage { Id = (ushort)((message[0] << 8) | message[1]), Flags = (ushort)((message[2] << 8) | message[3]) };
            return DnsDecision.Answer(Error(header, DnsResponseCode.FormErr));
        }

        return Decide(query);
    }

    /// <summary>Decides about a parsed query.</summary>
    public DnsDecision Decide(DnsMessage query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.IsResponse)
        {
            Interlocked.Increment(ref _dropped);
            return DnsDecision.Drop;
        }

        Interlocked.Increment(ref _queries);
        if (query.Opcode != DnsOpcode.Query)
        {
            return DnsDecision.Answer(Error(query, DnsResponseCode.NotImp));
        }

        if (query.Questions.Count != 1)
        {
            return DnsDecision.Answer(Error(query, DnsResponseCode.FormErr));
        }

        if (_local.TryAnswer(query) is { } local)
        {
            Interlocked.Increment(ref _localAnswers);
            return DnsDecision.Answer(local);
        }

        if (_cache.TryGet(query.Questions[0]) is { } cached)
        {
            Interlocked.Increment(ref _cacheHits);
            return DnsDecision.Answer(cached with
            {
                Id = query.Id,
                Flags = (ushort)((cached.Flags & ~(AaBit | RdBit)) | (query.Flags & RdBit)), // a cached copy is not authoritative; RD as asked
                Questions = query.Questions,
                Additionals = [.. cached.Additionals, .. OptFor(query)],
            });
        }

        Interlocked.Increment(ref _forwarded);
        return DnsDecision.Forward;
    }

    /// <summary>
    /// The answer for the client from <paramref name="upstream"/>'s answer to <paramref name="query"/>
    /// (forwarded with another ID): cached when the policy allows, given the client's ID and question.
    /// </summary>
    public DnsMessage Complete(DnsMessage query, DnsMessage upstream)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(upstream);
        _cache.Store(query.Questions[0], upstream, _policy.LifetimeOf(upstream));
        if (upstream.ResponseCode == DnsResponseCode.ServFail)
        {
            Interlocked.Increment(ref _failures);
        }

        return upstream with { Id = query.Id, Questions = query.Questions };
    }

    /// <summary>SERVFAIL for <paramref name="query"/>: no upstream is known, or none answered in time.</summary>
    public DnsMessage Fail(DnsMessage query)
    {
        Interlocked.Increment(ref _failures);
        return Error(query, DnsResponseCode.ServFail);
    }

    /// <summary>A response to <paramref name="query"/> with <paramref name="code"/> and no records but the question (and OPT if the query had one).</summary>
    public static DnsMessage Error(DnsMessage query, DnsResponseCode code)
    {
        ArgumentNullException.ThrowIfNull(query);
        return new DnsMessage
        {
            Id = query.Id,
            Flags = DnsMessage.ResponseFlags(query, code, authoritative: false),
            Questions = query.Questions,
            Additionals = OptFor(query),
        };
    }

    /// <summary>Our OPT record when <paramref name="query"/> had one (RFC 6891 §7): payload 1232, version 0, the DO bit echoed.</summary>
    public static IReadOnlyList<DnsRecord> OptFor(DnsMessage query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return query.Opt is { } opt
            ? [new DnsRecord(DnsName.Root, DnsType.Opt, (DnsClass)EdnsPayloadSize, opt.Ttl & 0x8000, new DnsRawData(new ByteString([])))]
            : [];
    }

    /// <summary>The largest UDP answer <paramref name="query"/>'s sender takes: its EDNS payload size (at least 512, at most 4096), or 512.</summary>
    public static int UdpLimit(DnsMessage query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return query.Opt is { } opt ? Math.Clamp((int)opt.Class, DnsMessage.ClassicUdpLimit, 4096) : DnsMessage.ClassicUdpLimit;
    }
}
