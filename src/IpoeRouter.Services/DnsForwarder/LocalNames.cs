using System.Globalization;
using System.Net;
using System.Net.Sockets;
using IpoeRouter.Protocols.Dns;

namespace IpoeRouter.Services.DnsForwarder;

/// <summary>
/// The names the router answers itself, thread-safe: DHCP clients (and the router) as
/// <c>host.domain</c> with A and AAAA records, PTR records for their addresses under in-addr.arpa
/// and ip6.arpa (RFC 1035 §3.5, RFC 3596 §2.5). Everything under the local domain is answered here,
/// an unknown name with NXDOMAIN: it is never forwarded. So is a reverse query for a private or LAN
/// address nobody holds (RFC 6303: such queries must not leak to the Internet's servers).
/// </summary>
public sealed class LocalNames
{
    private static readonly IPNetwork[] s_privateRanges =
    [
        IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("::1/128"),
    ];

    private static readonly DnsName s_inAddrArpa = DnsName.Parse("in-addr.arpa"), s_ip6Arpa = DnsName.Parse("ip6.arpa");

    private readonly object _lock = new();
    private readonly Dictionary<string, Host> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<IPAddress, string> _reverse = [];
    private IPNetwork[] _lanPrefixes = [];

    /// <summary>Answers for <c>*.<paramref name="domain"/></c> with records of <paramref name="ttl"/> seconds.</summary>
    public LocalNames(string domain, uint ttl = 60)
    {
        Domain = DnsName.Parse(domain);
        Ttl = ttl;
        Soa = new DnsRecord(Domain, DnsType.Soa, DnsClass.In, ttl,
            new DnsSoaData(Domain.Prepend("router"), Domain.Prepend("hostmaster"), 1, 3600, 600, 86400, ttl));
    }

    /// <summary>The local domain (the DHCP scope's domain name).</summary>
    public DnsName Domain { get; }

    /// <summary>The TTL of local answers, and of their negative answers (the SOA's MINIMUM).</summary>
    public uint Ttl { get; }

    /// <summary>The SOA sent in the authority section of local negative answers (RFC 2308 §3).</summary>
    public DnsRecord Soa { get; }

    /// <summary>
    /// Sets the IPv4 address of <paramref name="hostname"/> (null removes it, keeping IPv6 ones).
    /// False, and nothing changed, when the name is not one DNS label of letters, digits and hyphens
    /// (a DHCP client's option 12 can hold anything).
    /// </summary>
    public bool Set(string hostname, IPAddress? ipv4)
    {
        if (!IsHostLabel(hostname) || ipv4 is { AddressFamily: not AddressFamily.InterNetwork })
        {
            return false;
        }

        lock (_lock)
        {
            Host h = Get(hostname);
            Replace(hostname, h.V4 is null ? [] : [h.V4], ipv4 is null ? [] : [ipv4]);
            _hosts[hostname] = h with { V4 = ipv4 };
            Prune(hostname);
        }

        return true;
    }

    /// <summary>Sets the IPv6 addresses of <paramref name="hostname"/> (empty removes them). False as for <see cref="Set"/>.</summary>
    public bool SetIPv6(string hostname, IReadOnlyList<IPAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        if (!IsHostLabel(hostname) || addresses.Any(a => a.AddressFamily != AddressFamily.InterNetworkV6))
        {
            return false;
        }

        lock (_lock)
        {
            Host h = Get(hostname);
            IPAddress[] v6 = [.. addresses.Select(a => new IPAddress(a.GetAddressBytes())).Distinct()];
            Replace(hostname, h.V6, v6);
            _hosts[hostname] = h with { V6 = v6 };
            Prune(hostname);
        }

        return true;
    }

    /// <summary>Forgets <paramref name="hostname"/> and its addresses.</summary>
    public void Remove(string hostname)
    {
        lock (_lock)
        {
            if (_hosts.Remove(hostname, out Host? h))
            {
                Replace(hostname, h.V4 is null ? h.V6 : [h.V4, .. h.V6], []);
            }
        }
    }

    /// <summary>
    /// The LAN prefixes besides the private ranges (the delegated global /64s): reverse queries inside
    /// them for addresses no host holds get NXDOMAIN here instead of going upstream.
    /// </summary>
    public void SetLanPrefixes(IReadOnlyList<IPNetwork> prefixes)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        Volatile.Write(ref _lanPrefixes, [.. prefixes]);
    }

    /// <summary>The answer to <paramref name="query"/> if it is local (authoritative, AA set), or null to try the cache and the upstreams.</summary>
    public DnsMessage? TryAnswer(DnsMessage query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Questions.Count != 1)
        {
            return null;
        }

        DnsQuestion q = query.Questions[0];
        if (q.Class is not (DnsClass.In or DnsClass.Any))
        {
            return null;
        }

        if (q.Name.IsSubdomainOf(Domain))
        {
            return AnswerForward(query, q);
        }

        if (q.Name.IsSubdomainOf(s_inAddrArpa) || q.Name.IsSubdomainOf(s_ip6Arpa))
        {
            return AnswerReverse(query, q);
        }

        return null;
    }

    private DnsMessage AnswerForward(DnsMessage query, DnsQuestion q)
    {
        int depth = q.Name.Labels.Count - Domain.Labels.Count;
        if (depth == 0)
        {
            return q.Type == DnsType.Soa ? Response(query, DnsResponseCode.NoError, [Soa with { Name = q.Name }], []) : Response(query, DnsResponseCode.NoError, [], [Soa]);
        }

        Host? h;
        lock (_lock)
        {
            h = depth == 1 && _hosts.TryGetValue(q.Name.Labels[0], out Host? found) ? found : null;
        }

        if (h is null)
        {
            return Response(query, DnsResponseCode.NxDomain, [], [Soa]);
        }

        var answers = new List<DnsRecord>();
        if (h.V4 is not null && q.Type is DnsType.A or DnsType.Any)
        {
            answers.Add(DnsRecord.A(q.Name, h.V4, Ttl));
        }

        if (q.Type is DnsType.Aaaa or DnsType.Any)
        {
            answers.AddRange(h.V6.Select(a => DnsRecord.Aaaa(q.Name, a, Ttl)));
        }

        return Response(query, DnsResponseCode.NoError, answers, answers.Count == 0 ? [Soa] : []);
    }

    private DnsMessage? AnswerReverse(DnsMessage query, DnsQuestion q)
    {
        if (ReverseName.TryParse(q.Name, out IPAddress? address, out int prefixLength) is false)
        {
            return null;
        }

        bool complete = prefixLength == (address!.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
        if (complete)
        {
            string? host;
            lock (_lock)
            {
                _reverse.TryGetValue(address, out host);
            }

            if (host is not null)
            {
                return q.Type is DnsType.Ptr or DnsType.Any
                    ? Response(query, DnsResponseCode.NoError, [DnsRecord.Ptr(q.Name, Domain.Prepend(host), Ttl)], [])
                    : Response(query, DnsResponseCode.NoError, [], []);
            }
        }

        bool local = s_privateRanges.Concat(Volatile.Read(ref _lanPrefixes))
            .Any(r => r.BaseAddress.AddressFamily == address.AddressFamily && prefixLength >= r.PrefixLength && r.Contains(address));
        if (!local)
        {
            return null;
        }

        // A complete address nobody holds does not exist; a shorter name inside a local range is an empty non-terminal.
        return Response(query, complete ? DnsResponseCode.NxDomain : DnsResponseCode.NoError, [], []);
    }

    private static DnsMessage Response(DnsMessage query, DnsResponseCode code, IReadOnlyList<DnsRecord> answers, IReadOnlyList<DnsRecord> authorities) =>
        new()
        {
            Id = query.Id,
            Flags = DnsMessage.ResponseFlags(query, code, authoritative: true),
            Questions = query.Questions,
            Answers = answers,
            Authorities = authorities,
            Additionals = DnsResolverCore.OptFor(query),
        };

    private Host Get(string hostname) => _hosts.TryGetValue(hostname, out Host? h) ? h : new Host(null, []);

    private void Prune(string hostname)
    {
        if (_hosts[hostname] is { V4: null, V6.Length: 0 })
        {
            _hosts.Remove(hostname);
        }
    }

    private void Replace(string hostname, IEnumerable<IPAddress> old, IEnumerable<IPAddress> now)
    {
        foreach (IPAddress a in old)
        {
            if (_reverse.TryGetValue(a, out string? holder) && string.Equals(holder, hostname, StringComparison.OrdinalIgnoreCase))
            {
                _reverse.Remove(a);
            }
        }

        foreach (IPAddress a in now)
        {
            _reverse[a] = hostname.ToLowerInvariant();
        }
    }

    private static bool IsHostLabel(string name) =>
        name is { Length: > 0 and <= DnsName.MaxLabelLength } && name[0] != '-' && name[^1] != '-' &&
        name.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-');

    private sealed record Host(IPAddress? V4, IPAddress[] V6);

    /// <summary>Reverse names: a.b.c.d.in-addr.arpa (fewer labels: a prefix) and nibble names under ip6.arpa.</summary>
    private static class ReverseName
    {
        public static bool TryParse(DnsName name, out IPAddress? address, out int prefixLength)
        {
            address = null;
            prefixLength = 0;
            bool v4 = name.IsSubdomainOf(s_inAddrArpa);
            int count = name.Labels.Count - 2;
            byte[] bytes = new byte[v4 ? 4 : 16];
            if (count > (v4 ? 4 : 32))
            {
                return false;
            }

            for (int i = 0; i < count; i++)
            {
                string label = name.Labels[count - 1 - i];
                if (v4)
                {
                    if (!byte.TryParse(label, NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i]) || (label.Length > 1 && label[0] == '0'))
                    {
                        return false;
                    }
                }
                else
                {
                    if (label.Length != 1 || !byte.TryParse(label, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte nibble))
                    {
                        return false;
                    }

                    bytes[i / 2] |= (byte)(i % 2 == 0 ? nibble << 4 : nibble);
                }
            }

            address = new IPAddress(bytes);
            prefixLength = v4 ? count * 8 : count * 4;
            return true;
        }
    }
}
