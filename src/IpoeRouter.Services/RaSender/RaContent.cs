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
public sealed record LanAnnouncement(IReadOnlyList<AnnouncedPrefix> Prefixes, IReadOnlyList<IPAddress> DnsServers, IReadOnlyList<string> SearchList, uint Mtu, bool StatelessDhcp, ByteString LinkLayerAddress)
{
    /// <summary>DNS servers announced before that hosts must drop now (the router's address in a withdrawn prefix): sent with lifetime 0 (RFC 8106 §5.1).</summary>
    public IReadOnlyList<IPAddress> RevokedDnsServers { get; init; } = [];
}

/// <summary>
/// Decides the Router Advertisement of a LAN (pure: state and time in, message out). The current
/// /64 is announced on-link and autonomous with its remaining lifetimes, capped at RFC 9096's
/// ND_PREFERRED_LIMIT / ND_VALID_LIMIT so hosts never hold a prefix much longer than the router can
/// vouch for it; a withdrawn one keeps being announced with preferred lifetime 0 and its shrinking
/// valid lifetime until it is gone (RFC 9096, RFC 7084 L-13), so hosts stop using it for new
/// connections at once. The O flag says "ask DHCPv6 for DNS"; RDNSS/DNSSL say it in the RA too
/// (RFC 8106). With no current prefix (the delegation was lost) the router lifetime is 0: the router
/// has nothing to route for the LAN and must not stay its default router.
/// </summary>
public static class RaContent
{
    /// <summary>RFC 9096 ND_PREFERRED_LIMIT: the longest preferred lifetime announced, and the router lifetime.</summary>
    public static TimeSpan PreferredLimit { get; } = TimeSpan.FromSeconds(2700);

    /// <summary>RFC 9096 ND_VALID_LIMIT: the longest valid lifetime announced (also what a withdrawn prefix keeps at most).</summary>
    public static TimeSpan ValidLimit { get; } = TimeSpan.FromSeconds(5400);

    /// <summary>
    /// Router lifetime while serving: ND_PREFERRED_LIMIT (RFC 9096 §3.4), and never less than
    /// 3 × MaxRtrAdvInterval (RFC 4861's default) so a long interval cannot let it lapse between RAs.
    /// RDNSS and DNSSL carry the same lifetime (RFC 8106: at least 3 × MaxRtrAdvInterval).
    /// </summary>
    public static TimeSpan RouterLifetime(RaIntervals? intervals) =>
        intervals is not null && 3 * intervals.MaxInterval > PreferredLimit ? 3 * intervals.MaxInterval : PreferredLimit;

    /// <summary>The RA to send at <paramref name="now"/>; <paramref name="final"/> for the last one on shutdown (router lifetime 0).</summary>
    public static RouterAdvertisement Build(LanAnnouncement lan, DateTimeOffset now, bool final = false, RaIntervals? intervals = null)
    {
        var options = new List<NdOption> { new LinkLayerAddressOption(1, lan.LinkLayerAddress), new MtuOption(lan.Mtu) };
        bool current = false;
        foreach (AnnouncedPrefix p in lan.Prefixes)
        {
            uint valid = Seconds(Min(p.ValidLeft(now), ValidLimit));
            if (valid == 0)
            {
                continue; // gone: no longer announced at all
            }

            bool live = p.WithdrawnAt is null && !final;
            uint preferred = live ? Seconds(Min(p.PreferredLeft(now), PreferredLimit)) : 0;
            current |= live;
            options.Add(new PrefixInformationOption(64, OnLink: true, Autonomous: true, valid, preferred, p.Prefix));
        }

        TimeSpan lifetime = final ? TimeSpan.Zero : RouterLifetime(intervals);
        if (lan.DnsServers.Count > 0)
        {
            options.Add(new RdnssOption(Seconds(lifetime), lan.DnsServers));
        }

        if (lan.RevokedDnsServers.Count > 0)
        {
            options.Add(new RdnssOption(0, lan.RevokedDnsServers));
        }

        if (lan.SearchList.Count > 0)
        {
            options.Add(new DnsslOption(Seconds(lifetime), lan.SearchList));
        }

        return new RouterAdvertisement(64, Managed: false, Other: lan.StatelessDhcp, RouterPreference.Medium,
            current ? (ushort)Seconds(lifetime) : (ushort)0, 0, 0, options);
    }

    /// <summary>The prefixes still worth keeping in the state at <paramref name="now"/> (withdrawn ones until their valid lifetime ends).</summary>
    public static IReadOnlyList<AnnouncedPrefix> Prune(IEnumerable<AnnouncedPrefix> prefixes, DateTimeOffset now) =>
        prefixes.Where(p => p.WithdrawnAt is null || p.ValidLeft(now) > TimeSpan.Zero).ToList();

    /// <summary>
    /// The state after the delegation moved the LAN to <paramref name="next"/>: the old current prefix
    /// is withdrawn now (its valid lifetime keeps running down from at most ND_VALID_LIMIT, longer
    /// than no host was told), the new one becomes current.
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

            result.Add(p.WithdrawnAt is null ? Withdraw(p, now) : p);
        }

        result.Add(next);
        return Prune(result, now);
    }

    /// <summary><paramref name="p"/> withdrawn at <paramref name="now"/>: preferred 0, valid what is left (at most ND_VALID_LIMIT), counting down.</summary>
    public static AnnouncedPrefix Withdraw(AnnouncedPrefix p, DateTimeOffset now) =>
        p with { Since = now, Valid = Min(p.ValidLeft(now), ValidLimit), Preferred = TimeSpan.Zero, WithdrawnAt = now };

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static uint Seconds(TimeSpan t) => (uint)Math.Clamp(Math.Floor(t.TotalSeconds), 0, uint.MaxValue);
}
