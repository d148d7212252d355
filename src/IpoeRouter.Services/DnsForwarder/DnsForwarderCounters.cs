namespace IpoeRouter.Services.DnsForwarder;

/// <summary>
/// What the forwarder has done since it started, for status: queries received, answered from local
/// names or from the cache, forwarded upstream, failed (SERVFAIL sent: no upstream or none answered),
/// and malformed or refused messages dropped.
/// </summary>
public sealed record DnsForwarderCounters(long Queries, long LocalAnswers, long CacheHits, long Forwarded, long Failures, long Dropped);
