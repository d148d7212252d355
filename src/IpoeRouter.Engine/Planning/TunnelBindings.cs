using System.Net;
using System.Net.Sockets;
using IpoeRouter.Engine.Kernel;
using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Rtnl;
using IpoeRouter.Model;

namespace IpoeRouter.Engine.Planning;

/// <summary>
/// How a declared tunnel's bindings resolve against the facts of the moment: which backend carries
/// it, which AFTR it goes to, and which WAN address it leaves from. Pure; the planner, the agent's
/// status and <c>Get-IpoePlan</c> use the same answers.
/// </summary>
public static class TunnelBindings
{
    /// <summary>The backend that carries <paramref name="tunnel"/> on a kernel that can (or cannot) make ip6tnl links, and why.</summary>
    public static (TunnelBackend Backend, string Why) Backend(Tunnel tunnel, bool ip6TunnelAvailable)
    {
        ArgumentNullException.ThrowIfNull(tunnel);
        return tunnel.Backend switch
        {
            TunnelBackend.Kernel => (TunnelBackend.Kernel, "backend: kernel"),
            TunnelBackend.Userspace => (TunnelBackend.Userspace, "backend: userspace"),
            _ when ip6TunnelAvailable => (TunnelBackend.Kernel, "backend auto: the kernel has ip6_tunnel"),
            _ => (TunnelBackend.Userspace, "backend auto: this kernel has no ip6_tunnel module, so ipoe-agent's user-space B4 carries it"),
        };
    }

    /// <summary>The AFTR's address, or null with <paramref name="why"/> it is not known yet.</summary>
    public static IPAddress? Remote(Tunnel tunnel, RuntimeFacts facts, out string why)
    {
        ArgumentNullException.ThrowIfNull(tunnel);
        ArgumentNullException.ThrowIfNull(facts);
        if (tunnel.Remote is StaticRemote fixedRemote)
        {
            why = "declared";
            return fixedRemote.Address;
        }

        if (tunnel.Remote is DiscoveredRemote { Method: RemoteDiscovery.Hb46pp })
        {
            why = "AFTR discovery by hb46pp is not built yet; give the address, the FQDN or discover: dhcpv6";
            return null;
        }

        if (facts.TunnelRemotes.TryGetValue(tunnel.Name, out ResolvedRemote? resolved))
        {
            why = resolved.Detail;
            return resolved.Address;
        }

        why = tunnel.Remote is FqdnRemote f
            ? $"{f.Fqdn} is resolved by ipoe-agent through the WAN's DNS servers, and no agent has resolved it (start the agent, or give the AFTR's address)"
            : "the AFTR-Name comes from the delegation's DHCPv6 exchange, which ipoe-agent holds; no agent has it (start the agent, or give the AFTR's address)";
        return null;
    }

    /// <summary>
    /// The address the local end uses: a fixed one, or a global (universe-scope) IPv6 address of the
    /// interface it follows that is neither tentative, deprecated nor temporary (privacy addresses
    /// rotate, and every change resets the IPv4 sessions at the AFTR). <paramref name="current"/> is
    /// kept while it is still usable; otherwise the longest-lived, then the lowest.
    /// </summary>
    public static IPAddress? Local(Tunnel tunnel, KernelSnapshot kernel, IPAddress? current)
    {
        ArgumentNullException.ThrowIfNull(tunnel);
        ArgumentNullException.ThrowIfNull(kernel);
        if (tunnel.Local is StaticLocal s)
        {
            return s.Address;
        }

        if (tunnel.Local is not InterfaceLocal i || kernel.Link(i.Interface) is not { } link)
        {
            return null;
        }

        var usable = kernel.Addresses
            .Where(a => a.Index == link.Index && a.Address.AddressFamily == AddressFamily.InterNetworkV6 && a.Scope == RouteValues.ScopeUniverse
                && (a.Flags & (Ifa.FlagTentative | Ifa.FlagDeprecated | Ifa.FlagTemporary)) == 0 && PrefixMath.IsGlobalUnicast6(a.Address))
            .ToList();
        return usable.Any(a => a.Address.Equals(current))
            ? current
            : usable.OrderByDescending(a => a.PreferredLifetime).ThenBy(a => PrefixMath.ToUInt128(a.Address)).Select(a => a.Address).FirstOrDefault();
    }

    /// <summary>Where the local end comes from, in words.</summary>
    public static string Describe(TunnelLocal local) => local switch
    {
        InterfaceLocal i => i.Interface,
        StaticLocal s => s.Address.ToString(),
        _ => local?.ToString() ?? string.Empty,
    };
}
