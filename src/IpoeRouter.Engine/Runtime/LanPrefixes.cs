using System.Net;
using IpoeRouter.Model;
using IpoeRouter.Services.Dhcp6PdClient;
using IpoeRouter.Services.RaSender;

namespace IpoeRouter.Engine.Runtime;

/// <summary>
/// What one LAN has announced of its delegation's /64s, carried from lease to lease (pure): the
/// current /64 follows the lease's lifetimes; when the delegation moves or is lost the old /64 stays
/// in the list, withdrawn, until its valid lifetime runs out, so the RA keeps deprecating it.
/// </summary>
public static class LanPrefixes
{
    /// <summary>
    /// The LAN's prefixes after the delegation of its PD client became <paramref name="delegated"/>
    /// (null: no prefix any more) at <paramref name="now"/>; <paramref name="subnetId"/> picks the /64.
    /// </summary>
    public static IReadOnlyList<AnnouncedPrefix> Next(IReadOnlyList<AnnouncedPrefix> current, LeasedPrefix? delegated, int subnetId, DateTimeOffset now)
    {
        if (delegated is null || subnetId >= PrefixMath.SubnetCount(delegated.Length))
        {
            return RaContent.Prune(current.Select(p => p.WithdrawnAt is null ? RaContent.Withdraw(p, now) : p), now);
        }

        IPAddress subnet = PrefixMath.Subnet64(new IPNetwork(delegated.Prefix, delegated.Length), subnetId).BaseAddress;
        var next = new AnnouncedPrefix(subnet, delegated.Valid, delegated.Preferred, delegated.Since);
        if (current.FirstOrDefault(p => p.WithdrawnAt is null) is { } held && held.Prefix.Equals(subnet))
        {
            // Same /64, new lifetimes (a Renew or Rebind): replace in place.
            return RaContent.Prune(current.Select(p => ReferenceEquals(p, held) ? next : p).ToList(), now);
        }

        return RaContent.Renumber(current, next, now);
    }
}
