using System.Net;
using System.Net.Sockets;
using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Rtnl;
using IpoeRouter.Model;

namespace IpoeRouter.Engine.Planning;

public sealed partial class Planner
{
    private void PlanRoutes()
    {
        var claimed = new HashSet<RouteInfo>(ReferenceEqualityComparer.Instance);
        var observed = new Dictionary<(uint Table, IPNetwork Destination, uint Metric), RouteInfo>();
        foreach (RouteInfo r in _kernel.Routes)
        {
            observed.TryAdd((r.Table, r.Destination, EffectiveMetric(r.Destination, r.Metric)), r);
        }

        foreach (var (spec, device, source, reason, pending) in DesiredRoutes())
        {
            string key = PrefixMath.Format(spec?.Destination ?? default);
            if (spec is null)
            {
                _routes.Add(Pending(ResourceKind.Route, reason, source, pending!));
                continue;
            }

            key = RouteText.Describe(spec, device);
            uint metric = EffectiveMetric(spec.Destination, spec.Metric);
            RouteInfo? now = observed.GetValueOrDefault((spec.Table, spec.Destination, metric));
            if (now is not null)
            {
                claimed.Add(now);
                if (Equals(now.Gateway, spec.Gateway) && now.OutputIndex == spec.OutputIndex && now.Protocol == spec.Protocol)
                {
                    _routes.Add(NoChange(ResourceKind.Route, key, source, "present"));
                    continue;
                }

                if (now.Protocol != spec.Protocol)
                {
                    // Replacing it would take over a route someone else made (a hand-added default
                    // route, the one an SSH session uses, an RA's): never done silently.
                    _routes.Add(Pending(ResourceKind.Route, key, source,
                        $"a route to {PrefixMath.Format(spec.Destination)} with metric {metric} exists and is not the engine's (proto {now.Protocol}); declare another metric, or remove that route"));
                    continue;
                }
            }

            var changes = new List<PropertyChange>();
            if (now is not null)
            {
                AddIfDifferent(changes, "gateway", now.Gateway?.ToString(), spec.Gateway?.ToString());
                AddIfDifferent(changes, "dev", now.OutputIndex is { } o ? Device(_kernel.Link(o), o) : null, device);
                AddIfDifferent(changes, "proto", now.Protocol.ToString(System.Globalization.CultureInfo.InvariantCulture), spec.Protocol.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                changes.Add(new PropertyChange("route", null, key));
            }

            _routes.Add(new ResourceDiff(ResourceKind.Route, key, now is null ? DiffOutcome.Create : DiffOutcome.Update, changes, reason)
            {
                Source = source,
                Operations = [new ReplaceRouteOperation(spec, device)],
                Inverse = now is null ? [new DeleteRouteOperation(spec, device)] : [new ReplaceRouteOperation(AsSpec(now), DeviceOf(now))],
            });
        }

        foreach (Route absent in _doc.Routes.Where(r => !r.Exist))
        {
            foreach (RouteInfo r in _kernel.Routes.Where(r => r.Table == RouteValues.TableMain && r.Destination.Equals(absent.Destination)))
            {
                claimed.Add(r);
                _routeRemovals.Add(Removal(r, $"routes[{_doc.Routes.ToList().IndexOf(absent)}]", "declared exist: false"));
            }
        }

        foreach (RouteInfo leftover in _kernel.Routes.Where(r => r.Protocol == RouteProtocol.IpoeRouter && !claimed.Contains(r)))
        {
            _routeRemovals.Add(Removal(leftover, null, "made by the engine and no longer declared"));
        }
    }

    private ResourceDiff Removal(RouteInfo route, string? source, string reason)
    {
        RouteSpec spec = AsSpec(route);
        string? device = DeviceOf(route);
        return new ResourceDiff(ResourceKind.Route, RouteText.Describe(spec, device), DiffOutcome.Delete, [new PropertyChange("route", RouteText.Describe(spec, device), null)], reason)
        {
            Source = source,
            Operations = [new DeleteRouteOperation(spec, device)],
            Inverse = [new ReplaceRouteOperation(spec, device)],
        };
    }

    /// <summary>The document's routes and the tunnels' default routes, resolved to link indexes (a null spec is pending, with why).</summary>
    private IEnumerable<(RouteSpec? Spec, string? Device, string Source, string Reason, string? Pending)> DesiredRoutes()
    {
        for (int r = 0; r < _doc.Routes.Count; r++)
        {
            Route route = _doc.Routes[r];
            if (!route.Exist)
            {
                continue;
            }

            LinkInfo? link = route.Interface is { } name ? _kernel.Link(name) : null;
            if (route.Interface is not null && link is null)
            {
                yield return (null, null, $"routes[{r}]", route.Key, $"link {route.Interface} does not exist (yet)");
                continue;
            }

            yield return (new RouteSpec(route.Destination) { Gateway = route.Gateway, OutputIndex = link?.Index, Metric = (uint?)route.Metric }, link?.Name, $"routes[{r}]", "declared", null);
        }

        for (int t = 0; t < _doc.Tunnels.Count; t++)
        {
            Tunnel tunnel = _doc.Tunnels[t];
            if (!tunnel.Exist || !tunnel.EffectiveDefaultRoute)
            {
                continue;
            }

            LinkInfo? link = _kernel.Link(tunnel.Name);
            if (link is null)
            {
                yield return (null, null, $"tunnels[{t}]", $"0.0.0.0/0 dev {tunnel.Name}", $"tunnel {tunnel.Name} does not exist yet");
                continue;
            }

            yield return (new RouteSpec(new IPNetwork(IPAddress.Any, 0)) { OutputIndex = link.Index }, link.Name, $"tunnels[{t}]", $"IPv4 to the internet goes through {tunnel.Name}", null);
        }
    }

    private RouteSpec AsSpec(RouteInfo r) => new(r.Destination) { Gateway = r.Gateway, OutputIndex = r.OutputIndex, Metric = r.Metric, Protocol = r.Protocol, Table = r.Table };

    private string? DeviceOf(RouteInfo r) => r.OutputIndex is { } o ? Device(_kernel.Link(o), o) : null;

    /// <summary>The metric the kernel stores: IPv4 as given (0 when none); IPv6 1024 when none or 0.</summary>
    private static uint EffectiveMetric(IPNetwork destination, uint? metric) =>
        destination.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? metric ?? 0u : metric is null or 0 ? 1024u : metric.Value;

    private static void AddIfDifferent(List<PropertyChange> changes, string path, string? before, string? after)
    {
        if (before != after)
        {
            changes.Add(new PropertyChange(path, before, after));
        }
    }
}
