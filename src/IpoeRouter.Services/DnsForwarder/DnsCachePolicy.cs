using IpoeRouter.Protocols.Dns;

namespace IpoeRouter.Services.DnsForwarder;

/// <summary>
/// How long an upstream answer may be cached. A positive answer: the least TTL of its answer
/// records. NXDOMAIN, or NOERROR without answers (NODATA): the lesser of the authority SOA's TTL and
/// its MINIMUM (RFC 2308 §5), and not at all without an SOA. SERVFAIL: <see cref="ServerFailure"/>,
/// briefly (RFC 2308 §7.1 allows up to five minutes). Anything truncated or with another RCODE: not
/// at all. Every lifetime is capped by <see cref="MaxPositive"/> or <see cref="MaxNegative"/>.
/// </summary>
public sealed record DnsCachePolicy
{
    /// <summary>The longest a positive answer is kept (a day).</summary>
    public TimeSpan MaxPositive { get; init; } = TimeSpan.FromDays(1);

    /// <summary>The longest a negative answer is kept (an hour; RFC 2308 §5 suggests one to three).</summary>
    public TimeSpan MaxNegative { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long an upstream SERVFAIL is kept (5 s), so a storm of retries does not hammer a failing upstream.</summary>
    public TimeSpan ServerFailure { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long <paramref name="response"/> may be cached; zero for not at all.</summary>
    public TimeSpan LifetimeOf(DnsMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Truncated)
        {
            return TimeSpan.Zero;
        }

        switch (response.ResponseCode)
        {
            case DnsResponseCode.ServFail:
                return ServerFailure;
            case DnsResponseCode.NoError when response.Answers.Count > 0:
                return Min(TimeSpan.FromSeconds(response.Answers.Min(a => a.Ttl)), MaxPositive);
            case DnsResponseCode.NoError or DnsResponseCode.NxDomain:
                DnsRecord? soa = response.Authorities.FirstOrDefault(r => r.Type == DnsType.Soa && r.Data is DnsSoaData);
                return soa is null ? TimeSpan.Zero : Min(TimeSpan.FromSeconds(Math.Min(soa.Ttl, ((DnsSoaData)soa.Data).Minimum)), MaxNegative);
            default:
                return TimeSpan.Zero;
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
