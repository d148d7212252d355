using System.Net;

namespace IpoeRouter.Services.DsLite;

/// <summary>
/// A question <see cref="AftrNameSchedule.TakeDue"/> says to ask: resolve <paramref name="Name"/>
/// through <paramref name="Servers"/> (for <see cref="AftrNameResolver.ResolveAsync"/>), then hand
/// the answer back with this query to <see cref="AftrNameSchedule.Complete"/>.
/// </summary>
/// <param name="Name">The AFTR's name.</param>
/// <param name="Servers">The WAN's DNS servers, in the order to ask them.</param>
public sealed record AftrNameQuery(string Name, IReadOnlyList<IPAddress> Servers)
{
    /// <summary>The schedule's count of name and server changes when the query was taken; an answer from an older one is stale.</summary>
    internal int Generation { get; init; }
}
