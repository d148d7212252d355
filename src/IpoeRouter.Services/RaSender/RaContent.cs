using System.Net;
using IpoeRouter.Protocols.Icmp6;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Services.RaSender;

/// <summary>A /64 the LAN has held, with the lifetimes it was delegated with and when they started.</summary>
public sealed record AnnouncedPrefix(IPAddress Prefix, TimeSpan Valid, TimeSpan Preferred, DateTimeOffset Since)
{
    /// <summary>When the prefix was withdrawn (replaced or lost), or null while it is current.</summary>
    public DateTimeOffset? WithdrawnAt { get; init; }

    /// <summary>Valid lifetime left at <paramref name="now"/>.</summary>
    public TimeSpan ValidLeft(DateTimeOffset now) => Max(Valid - (now - Since));

    /// <summary>Preferred lifetime left at <paramref name="now"/>.</summary>
    public TimeSpan PreferredLeft(DateTimeOffset now) => Max(Preferred - (now - Since));

    private static TimeSpan Max(TimeSpan t) => t < TimeSpan.Zero ? TimeSpan.Zero : t;
}

/// <summary>What one LAN announces: its prefixes (current and withdrawn), DNS, MTU, and whether stateless DHCPv6 runs.</summary>
public sealed record LanAnnouncement(IReadOnlyList<AnnouncedPrefix> Prefixes, IReadOnlyList<IPAddress> DnsServers, IReadOnlyList<string> SearchList, uint Mtu, bool StatelessDhcp, ByteString LinkLayerAddress);

/// <summary>
/// Decides the Router Advertisement of a LAN (pure: state and time in, message out). The current
/// /64 is announced on-link and autonomous with its remaining lifetimes (capped at the delegation's);
/// a withdrawn one keeps being announced with preferred lifetime 0 and its shrinking valid lifetime
/// until it is gone (RFC 9096, RFC 7084 L-13), so hosts stop using it for new connections at once.
/// The O flag says "ask DHCPv6 for DNS"; RDNSS/DNSSL say it in the RA too (RFC 8106).
/// </summary>
public static class RaContent
{
    /// <summary>Router lifetime announced while serving (RFC 4861 default: 3 × MaxRtrAdvInterval, 1800 s).</summary>
    public static TimeSpan RouterLifetime { get; } = TimeSpan.FromSeconds(1800);

    /// <summary>The RA to send at <paramref name="now"/>; <paramref name="final"/> for the last one on shutdown (router lifetime 0).</summary>
    public static RouterAdvertisement Build(LanAnnouncement lan, DateTimeOffset now, bool final = false)
    {
        var options = new List<NdOption> { new LinkLayerAddressOption(1, lan.LinkLayerAddress), new MtuOption(lan.Mtu) };
        foreach (AnnouncedPrefix p in lan.Prefixes)
        {
            uint valid = Seconds(p.ValidLeft(now));
            if (valid == 0)
            {
                continue; // gone: no longer announced at all
            }

            uint preferred = p.WithdrawnAt is null && !final ? Seconds(p.PreferredLeft(now)) : 0;
            options.Add(new PrefixInformationOption(64, OnLink: true, Autonomous: true, valid, preferred, p.Prefix));
        }

        TimeSpan dnsLifetime = final ? TimeSpan.Zero : 3 * TimeSpan.FromSeconds(600);
        if (lan.DnsServers.Count > 0)
        {
            options.Add(new RdnssOption(Seconds(dnsLifetime), lan.DnsServers));
        }

        if (lan.SearchList.Count > 0)
        {
            options.Add(new DnsslOption(Seconds(dnsLifetime), lan.SearchList));
        }

        return new RouterAdvertisement(64, Managed: false, Other: lan.StatelessDhcp, RouterPreference.Medium,
            final ? (ushort)0 : (ushort)RouterLifetime.TotalSeconds, 0, 0, options);
    }

    /// <summary>The prefixes still worth keeping in the state at <paramref name="now"/> (withdrawn ones until their valid lifetime ends).</summary>
    public static IReadOnlyList<AnnouncedPrefix> Prune(IEnumerable<AnnouncedPrefix> prefixes, DateTimeOffset now) =>
        prefixes.Where(p => p.WithdrawnAt is null || p.ValidLeft(now) > TimeSpan.Zero).ToList();

    /// <summary>
    /// The state after the delegation moved the LAN to <paramref name="next"/>: the old current prefix
    /// is withdrawn now (its valid lifetime keeps running down, at most two hours as RFC 4862 §5.5.3
    /// lets a host keep it anyway), the new one becomes current.
    /// </summary>
    public static IReadOnlyList<AnnouncedPrefix> Renumber(IReadOnlyList<AnnouncedPrefix> prefixes, AnnouncedPrefix next, DateTimeOffset now)
    {
        var result = new List<AnnouncedPrefix>();
        foreach (AnnouncedPrefix p in prefixes)
        {
            if (p.Prefix.Equals(next.Prefix))
            {
                continue;
            }

            if (p.WithdrawnAt is null)
            {
                TimeSpan left = p.ValidLeft(now) < TimeSpan.FromHours(2) ? p.ValidLeft(now) : TimeSpan.FromHours(2);
                result.Add(p with { Since = now, Valid = left, Preferred = TimeSpan.Zero, WithdrawnAt = now });
            }
            else
            {
                result.Add(p);
            }
        }

        result.Add(next);
        return Prune(result, now);
    }

    private static uint Seconds(TimeSpan t) => (uint)Math.Clamp(Math.Floor(t.TotalSeconds), 0, uint.MaxValue);
}
