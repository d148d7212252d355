using System.Net;
using IpoeRouter.Model;

namespace IpoeRouter.Engine.Runtime;

/// <summary>
/// What a document's <see cref="DnsForwarder"/> means at run time: which LANs it answers on, under
/// which local domain the DHCP clients' names go, and its fixed (IPv4) listen addresses. The RAs,
/// the stateless DHCPv6 server and the DHCPv4 scopes name the router as DNS server exactly on
/// <see cref="ServedInterfaces"/>, so what hosts are told and where the forwarder listens agree.
/// </summary>
public static class DnsForwarding
{
    /// <summary>The local domain when no served scope names one (RFC 8375's special-use domain for homes).</summary>
    public const string DefaultDomain = "home.arpa";

    /// <summary>
    /// The interfaces the forwarder answers on: none without a <c>dnsForwarder</c> or with
    /// <c>enabled: false</c>; its <c>interfaces</c> when listed; else every LAN interface.
    /// </summary>
    public static IReadOnlySet<string> ServedInterfaces(RouterDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.DnsForwarder is not { } dns || dns.Enabled == false)
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }

        return dns.Interfaces.Count > 0
            ? new HashSet<string>(dns.Interfaces, StringComparer.Ordinal)
            : new HashSet<string>(document.Interfaces.Where(i => i.Role == InterfaceRole.Lan).Select(i => i.Name), StringComparer.Ordinal);
    }

    /// <summary>
    /// The domain local names are answered under: the first served scope's <c>domain</c> (in document
    /// order), else <see cref="DefaultDomain"/>. <paramref name="ignored"/> lists the other domains
    /// served scopes declare: one forwarder answers for one domain.
    /// </summary>
    public static string Domain(RouterDocument document, out IReadOnlyList<string> ignored)
    {
        ArgumentNullException.ThrowIfNull(document);
        IReadOnlySet<string> served = ServedInterfaces(document);
        var domains = document.DhcpScopes.Where(s => served.Contains(s.Interface) && s.Domain is not null)
            .Select(s => s.Domain!.TrimEnd('.')).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        ignored = domains.Skip(1).ToList();
        return domains.FirstOrDefault() ?? DefaultDomain;
    }

    /// <summary>The static IPv4 addresses of the served interfaces, as (interface, address).</summary>
    public static IReadOnlyList<(string Interface, IPAddress Address)> StaticAddresses(RouterDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        IReadOnlySet<string> served = ServedInterfaces(document);
        return document.Interfaces.Where(i => served.Contains(i.Name))
            .SelectMany(i => i.Addresses.OfType<StaticAddress>().Where(a => a.Value.IsIPv4).Select(a => (i.Name, a.Value.Address)))
            .ToList();
    }

    /// <summary>
    /// The upstreams in the order they are tried: the document's, then (unless
    /// <c>useLearnedUpstreams: false</c>) those learnt on the WAN, without repeats.
    /// </summary>
    public static IReadOnlyList<IPAddress> Upstreams(RouterDocument document, IEnumerable<IPAddress> learned)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(learned);
        IEnumerable<IPAddress> all = document.DnsForwarder?.Upstreams ?? [];
        if (document.DnsForwarder?.UseLearnedUpstreams != false)
        {
            all = all.Concat(learned);
        }

        return all.Distinct().ToList();
    }
}
