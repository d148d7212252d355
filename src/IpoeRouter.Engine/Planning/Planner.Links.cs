using System.Net;
using System.Net.Sockets;
using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Rtnl;
using IpoeRouter.Model;

namespace IpoeRouter.Engine.Planning;

public sealed partial class Planner
{
    private void PlanLinks()
    {
        for (int i = 0; i < _doc.Interfaces.Count; i++)
        {
            Interface iface = _doc.Interfaces[i];
            string source = $"interfaces[{i}]";
            LinkInfo? link = _kernel.Link(iface.Name);
            if (link is null)
            {
                _links.Add(Pending(ResourceKind.Link, iface.Name, source, $"link {iface.Name} does not exist (yet)"));
                continue;
            }

            bool? up = iface.Up ?? (iface.Role != InterfaceRole.None ? true : null);
            _links.Add(LinkState(link, up, iface.Mtu, source, iface.Up is null && up is not null ? $"{iface.Role.ToString().ToLowerInvariant()} interfaces are brought up" : "declared"));
        }
    }

    private ResourceDiff LinkState(LinkInfo link, bool? up, int? mtu, string source, string reason)
    {
        var changes = new List<PropertyChange>();
        var ops = new List<KernelOperation>();
        var undo = new List<KernelOperation>();
        if (mtu is { } m && m != link.Mtu)
        {
            changes.Add(new PropertyChange("mtu", link.Mtu.ToString(System.Globalization.CultureInfo.InvariantCulture), m.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            ops.Add(new SetMtuOperation(link.Index, link.Name, m));
            undo.Insert(0, new SetMtuOperation(link.Index, link.Name, link.Mtu));
        }

        if (up is { } u && u != link.IsUp)
        {
            changes.Add(new PropertyChange("up", link.IsUp ? "true" : "false", u ? "true" : "false"));
            ops.Add(new SetLinkUpOperation(link.Index, link.Name, u));
            undo.Insert(0, new SetLinkUpOperation(link.Index, link.Name, link.IsUp));
        }

        return changes.Count == 0
            ? NoChange(ResourceKind.Link, link.Name, source, "as declared")
            : new ResourceDiff(ResourceKind.Link, link.Name, DiffOutcome.Update, changes, reason) { Source = source, Operations = ops, Inverse = undo };
    }

    private void PlanTunnels()
    {
        for (int t = 0; t < _doc.Tunnels.Count; t++)
        {
            Tunnel tunnel = _doc.Tunnels[t];
            string source = $"tunnels[{t}]";
            LinkInfo? link = _kernel.Link(tunnel.Name);
            if (!tunnel.Exist)
            {
                _tunnelsDown.Add(link is { Kind: Ip6TnlLinkSpec.Kind, Ip6Tnl: { } old }
                    ? new ResourceDiff(ResourceKind.Tunnel, tunnel.Name, DiffOutcome.Delete, [], "declared exist: false")
                    {
                        Source = source,
                        Operations = [new DeleteLinkOperation(link.Index, link.Name)],
                        Inverse = [new AddTunnelOperation(old with { Mtu = link.Mtu }), new SetLinkUpOperation(0, link.Name, link.IsUp)],
                    }
                    : NoChange(ResourceKind.Tunnel, tunnel.Name, source, "absent, as declared"));
                continue;
            }

            if (ResolveTunnel(tunnel, source) is not { } spec)
            {
                continue; // pending, recorded
            }

            if (link is null)
            {
                _tunnelsUp.Add(new ResourceDiff(ResourceKind.Tunnel, tunnel.Name, DiffOutcome.Create,
                    [new PropertyChange("local", null, spec.Local.ToString()), new PropertyChange("remote", null, spec.Remote.ToString())],
                    $"declared; local from {Describe(tunnel.Local)}")
                {
                    Source = source,
                    Operations = [new AddTunnelOperation(spec), new SetLinkUpOperation(0, spec.Name, true)],
                    Inverse = [new DeleteLinkOperation(0, spec.Name)],
                });
                continue;
            }

            if (link.Kind != Ip6TnlLinkSpec.Kind || link.Ip6Tnl is null)
            {
                _tunnelsUp.Add(Pending(ResourceKind.Tunnel, tunnel.Name, source,
                    $"a link named {tunnel.Name} exists and is {(link.Kind is null ? "not a tunnel" : "a " + link.Kind)}; the engine does not replace a link it did not make"));
                continue;
            }

            _tunnelsUp.Add(TunnelChange(link, link.Ip6Tnl, spec, tunnel, source));
            _links.Add(LinkState(link, true, spec.Mtu, source, "tunnels are brought up"));
        }
    }

    private ResourceDiff TunnelChange(LinkInfo link, Ip6TnlLinkSpec current, Ip6TnlLinkSpec desired, Tunnel tunnel, string source)
    {
        Ip6TnlLinkSpec now = current with { Mtu = desired.Mtu };
        var changes = new List<PropertyChange>();
        if (!now.Local.Equals(desired.Local))
        {
            changes.Add(new PropertyChange("local", now.Local.ToString(), desired.Local.ToString()));
        }

        if (!now.Remote.Equals(desired.Remote))
        {
            changes.Add(new PropertyChange("remote", now.Remote.ToString(), desired.Remote.ToString()));
        }

        if (now.HopLimit != desired.HopLimit)
        {
            changes.Add(new PropertyChange("hopLimit", now.HopLimit.ToString(System.Globalization.CultureInfo.InvariantCulture), desired.HopLimit.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (now.EncapLimit != desired.EncapLimit)
        {
            changes.Add(new PropertyChange("encapLimit", now.EncapLimit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none", desired.EncapLimit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"));
        }

        if (changes.Count == 0)
        {
            return NoChange(ResourceKind.Tunnel, tunnel.Name, source, "as declared");
        }

        string reason = changes.Any(c => c.Path == "local") && tunnel.Local is InterfaceLocal from
            ? $"the local address follows {from.Interface}'s global address"
            : "declared";
        return new ResourceDiff(ResourceKind.Tunnel, tunnel.Name, DiffOutcome.Update, changes, reason)
        {
            Source = source,
            Operations = [new ChangeTunnelOperation(link.Index, desired with { Mtu = null })],
            Inverse = [new ChangeTunnelOperation(link.Index, now with { Mtu = null })],
        };
    }

    /// <summary>The link spec of a tunnel with its bindings resolved, or null after recording why it is pending.</summary>
    private Ip6TnlLinkSpec? ResolveTunnel(Tunnel tunnel, string source)
    {
        if (tunnel.Kind != TunnelKind.DsLite)
        {
            _tunnelsUp.Add(Pending(ResourceKind.Tunnel, tunnel.Name, source, $"tunnel kind {tunnel.Kind} is not built yet"));
            return null;
        }

        if (tunnel.Remote is not StaticRemote remote)
        {
            _tunnelsUp.Add(Pending(ResourceKind.Tunnel, tunnel.Name, source, $"the remote ({tunnel.Remote}) is not resolved by this build yet; give the AFTR's address"));
            return null;
        }

        IPAddress? local = tunnel.Local switch
        {
            StaticLocal s => s.Address,
            InterfaceLocal i => GlobalAddressOf(i.Interface, _kernel.Link(tunnel.Name)?.Ip6Tnl?.Local),
            _ => null,
        };
        if (local is null)
        {
            _tunnelsUp.Add(Pending(ResourceKind.Tunnel, tunnel.Name, source,
                $"{Describe(tunnel.Local)} has no usable global IPv6 address yet (no Router Advertisement seen, or the address is still tentative)"));
            return null;
        }

        return new Ip6TnlLinkSpec(tunnel.Name, local, remote.Address)
        {
            EncapLimit = tunnel.EncapLimit is { } e ? (byte)e : null,
            HopLimit = (byte)(tunnel.HopLimit ?? Tunnel.DefaultHopLimit),
            Mtu = tunnel.EffectiveMtu,
        };
    }

    /// <summary>
    /// The address a tunnel's local end follows: a global (universe-scope) IPv6 address of the link
    /// that is neither tentative, deprecated nor temporary (privacy addresses rotate, and every change
    /// resets the IPv4 sessions at the AFTR). The current one is kept while it is still usable;
    /// otherwise the longest-lived, then the lowest.
    /// </summary>
    private IPAddress? GlobalAddressOf(string interfaceName, IPAddress? current)
    {
        LinkInfo? link = _kernel.Link(interfaceName);
        if (link is null)
        {
            return null;
        }

        var usable = _kernel.Addresses
            .Where(a => a.Index == link.Index && a.Address.AddressFamily == AddressFamily.InterNetworkV6 && a.Scope == RouteValues.ScopeUniverse
                && (a.Flags & (Ifa.FlagTentative | Ifa.FlagDeprecated | Ifa.FlagTemporary)) == 0 && PrefixMath.IsGlobalUnicast6(a.Address))
            .ToList();
        return usable.Any(a => a.Address.Equals(current))
            ? current
            : usable.OrderByDescending(a => a.PreferredLifetime).ThenBy(a => PrefixMath.ToUInt128(a.Address)).Select(a => a.Address).FirstOrDefault();
    }

    private static string Describe(TunnelLocal local) => local switch
    {
        InterfaceLocal i => i.Interface,
        StaticLocal s => s.Address.ToString(),
        _ => local.ToString() ?? string.Empty,
    };
}
