using System.Net;
using System.Net.Sockets;
using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Rtnl;
using IpoeRouter.Model;
using AddressSpec = IpoeRouter.Model.AddressSpec;

namespace IpoeRouter.Engine.Kernel;

/// <summary>
/// Reads the live system out as a document (DSC's Export): what a person would declare to keep the
/// machine as it is. Only configuration, not what protocols hand out: permanent addresses (not
/// SLAAC or DHCP leases), routes added by hand or by the engine (not kernel, RA or DHCP routes),
/// ip6tnl links as tunnels, and the forwarding and accept_ra settings.
/// </summary>
public static class LiveExporter
{
    /// <summary>The sysctl keys the export reads.</summary>
    public static IReadOnlyCollection<string> SysctlPaths(KernelSnapshot links) =>
        ["/proc/sys/net/ipv6/conf/all/forwarding", "/proc/sys/net/ipv4/ip_forward",
         .. links.Links.Select(l => $"/proc/sys/net/ipv6/conf/{l.Name}/accept_ra")];

    /// <summary>The document for <paramref name="kernel"/>'s state.</summary>
    public static RouterDocument Export(IKernel kernel)
    {
        KernelSnapshot first = kernel.Observe([]);
        KernelSnapshot k = kernel.Observe(SysctlPaths(first));
        var tunnels = k.Links.Where(l => l.Ip6Tnl is not null).ToList();
        var routes = k.Routes.Where(r => r.Table == RouteValues.TableMain && r.Type == RouteValues.TypeUnicast
            && r.Protocol is RouteProtocol.Boot or RouteProtocol.Static or RouteProtocol.IpoeRouter).ToList();

        var doc = new RouterDocument
        {
            Interfaces = ValueList<Interface>.From(k.Links.Where(l => l.Name != "lo" && l.Ip6Tnl is null).Select(l => new Interface(l.Name)
            {
                Up = l.IsUp,
                Mtu = l.Mtu is >= 1280 and <= 65535 ? l.Mtu : null,
                AcceptRa = k.Sysctl.GetValueOrDefault($"/proc/sys/net/ipv6/conf/{l.Name}/accept_ra") is { } ra ? ra != "0" : null,
                Addresses = ValueList<AddressSpec>.From(k.Addresses
                    .Where(a => a.Index == l.Index && Declarable(a))
                    .Select(a => (AddressSpec)new StaticAddress(new InterfaceAddress(a.Address, a.PrefixLength)))),
            })),
            Tunnels = ValueList<Tunnel>.From(tunnels.Select(l => new Tunnel(l.Name, new StaticRemote(l.Ip6Tnl!.Remote), new StaticLocal(l.Ip6Tnl.Local))
            {
                Mtu = l.Mtu,
                EncapLimit = l.Ip6Tnl.EncapLimit,
                HopLimit = l.Ip6Tnl.HopLimit,
                DefaultRoute = routes.Any(r => r.Destination.PrefixLength == 0 && r.Destination.BaseAddress.AddressFamily == AddressFamily.InterNetwork && r.OutputIndex == l.Index),
            })),
            Routes = ValueList<Route>.From(routes
                .Where(r => !(r.Destination.PrefixLength == 0 && tunnels.Any(t => t.Index == r.OutputIndex)))
                .GroupBy(r => r.Destination).Select(g => g.First())
                .Select(r => new Route(r.Destination)
                {
                    Gateway = r.Gateway,
                    Interface = r.OutputIndex is { } o ? k.Link(o)?.Name : null,
                    Metric = r.Metric is { } m and > 0 ? (int)m : null,
                })),
            Sysctl = ValueList<SysctlSetting>.From(new[] { ("net.ipv6.conf.all.forwarding", "/proc/sys/net/ipv6/conf/all/forwarding"), ("net.ipv4.ip_forward", "/proc/sys/net/ipv4/ip_forward") }
                .Where(s => k.Sysctl.GetValueOrDefault(s.Item2) is not null)
                .Select(s => new SysctlSetting(s.Item1, k.Sysctl[s.Item2]!))),
        };
        return doc;
    }

    /// <summary>A configured address: permanent (not SLAAC or a lease), not link-local, of a sensible length.</summary>
    private static bool Declarable(AddressInfo a) =>
        (a.Flags & Ifa.FlagPermanent) != 0 && !a.Address.IsIPv6LinkLocal && !IPAddress.IsLoopback(a.Address)
        && a.PrefixLength >= (a.Address.AddressFamily == AddressFamily.InterNetwork ? 8 : 16);
}
