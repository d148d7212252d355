using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace IpoeRouter.Services.DsLite;

/// <summary>
/// The outcome of resolving the AFTR's name (RFC 6333 §5.4, RFC 6334 §3): the AAAA addresses and
/// their TTL, or no address and the reason. Either way <see cref="Detail"/> is a line for the status
/// and the log that says which server said what.
/// </summary>
/// <param name="Address">The address to use (the first of <paramref name="Addresses"/>), or null when the name did not resolve.</param>
/// <param name="Addresses">Every AAAA address of the answer, in the order the server sent them; empty on failure.</param>
/// <param name="Ttl">How long the answer may be used: the smallest TTL along the CNAME chain; zero on failure.</param>
/// <param name="Detail">
/// For the status and the log: "gw.example AAAA 2001:db8:aa::1 from 2001:db8::53, TTL 300 s", followed by
/// what earlier servers said; or "gw.example AAAA unresolved: 2001:db8::53: NXDOMAIN; 2001:db8::54: no answer in 2 s".
/// </param>
/// <param name="Server">The server that gave the address; on failure the first server that answered at all, or null when none did.</param>
public sealed record AftrAnswer(IPAddress? Address, IReadOnlyList<IPAddress> Addresses, TimeSpan Ttl, string Detail, IPAddress? Server)
{
    /// <summary>True when the name resolved to at least one address.</summary>
    [MemberNotNullWhen(true, nameof(Address))]
    public bool Resolved => Address is not null;

    /// <summary>A failure: no address, <paramref name="detail"/> says why.</summary>
    public static AftrAnswer Unresolved(string detail, IPAddress? server = null) => new(null, [], TimeSpan.Zero, detail, server);
}
