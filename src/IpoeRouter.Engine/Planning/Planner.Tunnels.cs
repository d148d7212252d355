using System.Net;
using IpoeRouter.Engine.Kernel;
using IpoeRouter.Linux.Rtnl;
using IpoeRouter.Model;

namespace IpoeRouter.Engine.Planning;

public sealed partial class Planner
{
    private void PlanTunnels()
    {
        for (int t = 0; t < _doc.Tunnels.Count; t++)
        {
            Tunnel tunnel = _doc.Tunnels[t];
            string source = $"tunnels[{t}]";
            LinkInfo? link = _kernel.Link(tunnel.Name);
            if (!tunnel.Exist)
            {
                _tunnelsDown.Add(TunnelAbsent(tunnel.Name, link, source, "declared exist: false"));
                continue;
            }

            if (tunnel.Kind != TunnelKind.DsLite)
            {
                _tunnelsUp.Add(Pending(ResourceKind.Tunnel, tunnel.Name, source, $"tunnel kind {tunnel.Kind} is not built yet"));
                continue;
            }

            var (backend, why) = TunnelBindings.Backend(tunnel, _kernel.Ip6TunnelAvailable);
            if (backend == TunnelBackend.Userspace)
            {
                PlanUserspaceTunnel(tunnel, link, source, why);
            }
            else
            {
                PlanKernelTunnel(tunnel, link, source, why);
            }
        }

        // A B4 the agent still carries for a tunnel the document no longer declares closes.
        foreach (string name in (_kernel.UserspaceTunnels?.Keys ?? []).Where(n => !_doc.Tunnels.Any(t => t.Name == n)).Order(StringComparer.Ordinal))
        {
            _tunnelsDown.Add(TunnelAbsent(name, _kernel.Link(name), "tunnels", "no longer declared"));
        }
    }

    /// <summary>The tunnel taken down: its ip6tnl deleted or its user-space B4 closed; anything else named so is left alone.</summary>
    private ResourceDiff TunnelAbsent(string name, LinkInfo? link, string source, string reason)
    {
        if (_kernel.UserspaceTunnels?.TryGetValue(name, out UserspaceTunnelState? b4) == true)
        {
            return new ResourceDiff(ResourceKind.Tunnel, name, DiffOutcome.Delete, [], reason)
            {
                Source = source,
                Operations = [new CloseUserspaceTunnelOperation(name)],
                Inverse = [new OpenUserspaceTunnelOperation(name), new SetUserspaceTunnelOperation(name, b4.Local, b4.Remote)],
            };
        }

        return link is { Kind: Ip6TnlLinkSpec.Kind, Ip6Tnl: { } old }
            ? new ResourceDiff(ResourceKind.Tunnel, name, DiffOutcome.Delete, [], reason)
            {
                Source = source,
                Operations = [new DeleteLinkOperation(link.Index, link.Name)],
                Inverse = [new AddTunnelOperation(old with { Mtu = link.Mtu }), new SetLinkUpOperation(0, link.Name, link.IsUp)],
            }
            : NoChange(ResourceKind.Tunnel, name, source, "absent, as declared");
    }

    private void PlanKernelTunnel(Tunnel tunnel, LinkInfo? link, string source, string backendWhy)
    {
        if (_kernel.UserspaceTunnels?.ContainsKey(tunnel.Name) == true)
        {
            // The kernel can make it now (the module was loaded): the B4 gives way first, the ip6tnl comes next pass.
            _tunnelsUp.Add(TunnelAbsent(tunnel.Name, link, source, $"{backendWhy}; the user-space B4 gives way to the kernel's ip6tnl"));
            return;
        }

        if (ResolveKernelTunnel(tunnel, source) is not { } spec)
        {
            return; // pending, recorded
        }

        if (link is null)
        {
            _tunnelsUp.Add(new ResourceDiff(ResourceKind.Tunnel, tunnel.Name, DiffOutcome.Create,
                [new PropertyChange("local", null, spec.Local.ToString()), new PropertyChange("remote", null, spec.Remote.ToString())],
                $"declared; local from {TunnelBindings.Describe(tunnel.Local)}; {backendWhy}")
            {
                Source = source,
                Operations = [new AddTunnelOperation(spec), new SetLinkUpOperation(0, spec.Name, true)],
                Inverse = [new DeleteLinkOperation(0, spec.Name)],
            });
            return;
        }

        if (link.Kind != Ip6TnlLinkSpec.Kind || link.Ip6Tnl is null)
        {
            _tunnelsUp.Add(NotOurs(tunnel, link, source));
            return;
        }

        _tunnelsUp.Add(TunnelChange(link, link.Ip6Tnl, spec, tunnel, source));
        _links.Add(LinkState(link, true, spec.Mtu, source, "tunnels are brought up"));
    }

    /// <summary>
    /// A tunnel carried by the agent's user-space B4: the B4 opened (its TUN link appears), pointed at
    /// the WAN address and the AFTR of the moment, and its link brought up with the tunnel's MTU (its
    /// B4 address and the IPv4 default route are planned with the other addresses and routes).
    /// </summary>
    private void PlanUserspaceTunnel(Tunnel tunnel, LinkInfo? link, string source, string backendWhy)
    {
        if (_kernel.UserspaceTunnels is not { } carried)
        {
            _tunnelsUp.Add(Pending(ResourceKind.Tunnel, tunnel.Name, source,
                $"{backendWhy}; a user-space B4 runs inside ipoe-agent, which is not running here (Install-IpoeAgent, or start ipoe-agent with this document)"));
            return;
        }

        IPAddress? remote = TunnelBindings.Remote(tunnel, _facts, out string remoteWhy);
        if (!carried.TryGetValue(tunnel.Name, out UserspaceTunnelState? b4))
        {
            if (link is not null)
            {
                _tunnelsUp.Add(NotOurs(tunnel, link, source));
                return;
            }

            IPAddress? firstLocal = TunnelBindings.Local(tunnel, _kernel, null);
            IPAddress? firstRemote = firstLocal is null ? null : remote;
            _tunnelsUp.Add(new ResourceDiff(ResourceKind.Tunnel, tunnel.Name, DiffOutcome.Create,
                [new PropertyChange("local", null, firstRemote is null ? null : firstLocal?.ToString()), new PropertyChange("remote", null, firstRemote?.ToString())],
                $"declared; {backendWhy}")
            {
                Source = source,
                Operations = [new OpenUserspaceTunnelOperation(tunnel.Name), new SetUserspaceTunnelOperation(tunnel.Name, firstRemote is null ? null : firstLocal, firstRemote)],
                Inverse = [new CloseUserspaceTunnelOperation(tunnel.Name)],
            });
            return;
        }

        if (link is not null)
        {
            _links.Add(LinkState(link, true, tunnel.EffectiveMtu, source, "tunnels are brought up"));
        }

        IPAddress? local = TunnelBindings.Local(tunnel, _kernel, b4.Local);
        string? missing = remote is null ? $"no AFTR address: {remoteWhy}"
            : local is null ? $"{TunnelBindings.Describe(tunnel.Local)} has no usable global IPv6 address yet (no Router Advertisement seen, or the address is still tentative)"
            : null;
        IPAddress? wantLocal = missing is null ? local : null;
        IPAddress? wantRemote = missing is null ? remote : null;
        if (Equals(wantLocal, b4.Local) && Equals(wantRemote, b4.Remote) && b4.Error is null)
        {
            _tunnelsUp.Add(missing is null
                ? NoChange(ResourceKind.Tunnel, tunnel.Name, source, $"carried by ipoe-agent's user-space B4 from {local} to {remote} ({backendWhy})")
                : Pending(ResourceKind.Tunnel, tunnel.Name, source, missing));
            return;
        }

        var changes = new List<PropertyChange>();
        if (!Equals(wantLocal, b4.Local))
        {
            changes.Add(new PropertyChange("local", b4.Local?.ToString(), wantLocal?.ToString()));
        }

        if (!Equals(wantRemote, b4.Remote))
        {
            changes.Add(new PropertyChange("remote", b4.Remote?.ToString(), wantRemote?.ToString()));
        }

        string reason = missing ?? (b4.Error is not null && changes.Count == 0 ? $"the last change failed ({b4.Error}); trying again"
            : changes.Any(c => c.Path == "local") && tunnel.Local is InterfaceLocal from ? $"the local address follows {from.Interface}'s global address" : remoteWhy);
        _tunnelsUp.Add(new ResourceDiff(ResourceKind.Tunnel, tunnel.Name, DiffOutcome.Update, changes, reason)
        {
            Source = source,
            Operations = [new SetUserspaceTunnelOperation(tunnel.Name, wantLocal, wantRemote)],
            Inverse = [new SetUserspaceTunnelOperation(tunnel.Name, b4.Local, b4.Remote)],
        });
    }

    private static ResourceDiff NotOurs(Tunnel tunnel, LinkInfo link, string source) =>
        Pending(ResourceKind.Tunnel, tunnel.Name, source,
            $"a link named {tunnel.Name} exists and is {(link.Kind is null ? "not a tunnel" : "a " + link.Kind)}; the engine does not replace a link it did not make");

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

    /// <summary>The ip6tnl link spec of a tunnel with its bindings resolved, or null after recording why it is pending.</summary>
    private Ip6TnlLinkSpec? ResolveKernelTunnel(Tunnel tunnel, string source)
    {
        if (TunnelBindings.Remote(tunnel, _facts, out string remoteWhy) is not { } remote)
        {
            _tunnelsUp.Add(Pending(ResourceKind.Tunnel, tunnel.Name, source, $"no AFTR address: {remoteWhy}"));
            return null;
        }

        if (TunnelBindings.Local(tunnel, _kernel, _kernel.Link(tunnel.Name)?.Ip6Tnl?.Local) is not { } local)
        {
            _tunnelsUp.Add(Pending(ResourceKind.Tunnel, tunnel.Name, source,
                $"{TunnelBindings.Describe(tunnel.Local)} has no usable global IPv6 address yet (no Router Advertisement seen, or the address is still tentative)"));
            return null;
        }

        return new Ip6TnlLinkSpec(tunnel.Name, local, remote)
        {
            EncapLimit = tunnel.EncapLimit is { } e ? (byte)e : null,
            HopLimit = (byte)(tunnel.HopLimit ?? Tunnel.DefaultHopLimit),
            Mtu = tunnel.EffectiveMtu,
        };
    }
}
