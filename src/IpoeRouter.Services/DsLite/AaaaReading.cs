using System.Net;
using IpoeRouter.Protocols.Dns;

namespace IpoeRouter.Services.DsLite;

/// <summary>
/// What one server's reply to "NAME AAAA?" says, read without I/O: the addresses at the end of the
/// CNAME chain inside the answer section (RFC 1034 §3.6.2, a recursive server includes the chain),
/// with the smallest TTL along it; or why there are none. Records that are not on the chain (other
/// names, other classes) are ignored, as RFC 5452 §6 asks of data nobody asked for.
/// </summary>
/// <param name="Addresses">The AAAA addresses of the chain's last name, in the order sent, without repeats; empty on failure.</param>
/// <param name="Ttl">The smallest TTL of the CNAME and AAAA records used (RFC 2181 §8: a TTL with its top bit set counts as 0).</param>
/// <param name="Aliases">The names the chain went through after the question's name, in order (empty without CNAME).</param>
/// <param name="Failure">Why there is no address ("NXDOMAIN", "no AAAA record", "SERVFAIL"), or null.</param>
/// <param name="Retry">True when asking the same server again soon may help (SERVFAIL: its own upstream may have timed out).</param>
internal sealed record AaaaReading(IReadOnlyList<IPAddress> Addresses, TimeSpan Ttl, IReadOnlyList<DnsName> Aliases, string? Failure, bool Retry)
{
    /// <summary>The most CNAME records followed; a longer chain is a failure (resolvers stop about here too).</summary>
    public const int MaxAliases = 8;

    /// <summary>True when the reply gave at least one address.</summary>
    public bool Found => Failure is null;

    /// <summary>Reads <paramref name="reply"/>, the answer to <paramref name="name"/> AAAA (already matched to the query).</summary>
    public static AaaaReading Read(DnsName name, DnsMessage reply)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(reply);
        switch (reply.ResponseCode)
        {
            case DnsResponseCode.NoError or DnsResponseCode.NxDomain:
                break;
            case DnsResponseCode.ServFail:
                return Failed([], "SERVFAIL", retry: true);
            case DnsResponseCode.Refused:
                return Failed([], "REFUSED", retry: false);
            default:
                return Failed([], $"RCODE {(int)reply.ResponseCode} ({reply.ResponseCode})", retry: false);
        }

        DnsName current = name;
        var aliases = new List<DnsName>();
        uint ttl = uint.MaxValue;
        while (true)
        {
            List<DnsRecord> aaaa = [.. reply.Answers.Where(r => r.Type == DnsType.Aaaa && r.Class == DnsClass.In && r.Name == current)];
            if (aaaa.Count > 0)
            {
                ttl = Math.Min(ttl, aaaa.Min(r => r.Ttl));
                IPAddress[] addresses = [.. aaaa.Select(r => r.Data).OfType<DnsAddressData>().Select(d => d.Address).Distinct()];
                return new AaaaReading(addresses, Seconds(ttl), aliases, Failure: null, Retry: false);
            }

            DnsRecord? cname = reply.Answers.FirstOrDefault(r => r.Type == DnsType.Cname && r.Class == DnsClass.In && r.Name == current);
            if (cname?.Data is not DnsNameData { Name: var target })
            {
                break;
            }

            if (target == name || aliases.Contains(target))
            {
                return Failed(aliases, $"CNAME loop at {target}", retry: false);
            }

            if (aliases.Count == MaxAliases)
            {
                return Failed(aliases, $"CNAME chain longer than {MaxAliases}", retry: false);
            }

            ttl = Math.Min(ttl, cname.Ttl);
            aliases.Add(target);
            current = target;
        }

        string via = aliases.Count == 0 ? "" : $" for {current} (CNAME)";
        return reply.ResponseCode == DnsResponseCode.NxDomain
            ? Failed(aliases, "NXDOMAIN" + via, retry: false)
            : Failed(aliases, "no AAAA record" + via, retry: false);
    }

    private static AaaaReading Failed(IReadOnlyList<DnsName> aliases, string why, bool retry) => new([], TimeSpan.Zero, aliases, why, retry);

    private static TimeSpan Seconds(uint ttl) => TimeSpan.FromSeconds(ttl > int.MaxValue ? 0 : ttl);
}
