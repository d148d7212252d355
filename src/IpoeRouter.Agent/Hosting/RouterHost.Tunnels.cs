using System.Net;
using IpoeRouter.Agent.DsLite;
using IpoeRouter.Control;
using IpoeRouter.Engine.Kernel;
using IpoeRouter.Engine.Planning;
using IpoeRouter.Engine.Tunnels;
using IpoeRouter.Model;
using IpoeRouter.Services.DsLite;

namespace IpoeRouter.Agent.Hosting;

internal sealed partial class RouterHost
{
    private TunnelMonitor? _tunnelMonitor;
    private AftrRemotes? _aftr;

    /// <summary>Starts resolving the AFTR's name when a tunnel's remote is an FQDN or the DHCPv6 AFTR-Name.</summary>
    private void StartAftrResolution(List<Task> pdTasks, CancellationToken stop)
    {
        if (!DsLiteTunnels().Any(t => t.Remote is FqdnRemote or DiscoveredRemote { Method: RemoteDiscovery.Dhcpv6 }))
        {
            return;
        }

        Linux.Netlink.NetworkNamespace ns = _options.Namespace;
        var resolver = new Services.DsLite.AftrNameResolver(new Services.DsLite.AftrNameResolverOptions
        {
            SocketFactory = (f, t, p) => ns.Run(() => new System.Net.Sockets.Socket(f, t, p)),
        }, line => Log($"aftr: {line}"));
        _aftr = new AftrRemotes(resolver, _options.Time, Log, why => _loop?.Post(new Engine.Loop.Cause(Engine.Loop.CauseKind.Resolution, why, _options.Time.GetUtcNow())));
        UpdateAftr();
        pdTasks.Add(_supervisor.Run("aftr-resolver", () => _aftr.RunAsync(stop), stop));
    }

    /// <summary>
    /// Tells the resolver which names the tunnels want (an FQDN, or the AFTR-Name a delegation's server
    /// sent — the one on the tunnel's local interface first) and the WAN's DNS servers in the order to
    /// ask: the delegations' DHCPv6 DNS servers (option 23), then the RAs' RDNSS.
    /// </summary>
    private void UpdateAftr()
    {
        if (_aftr is not { } aftr)
        {
            return;
        }

        DateTimeOffset now = _options.Time.GetUtcNow();
        var wanted = new List<(string, string?, string)>();
        List<IPAddress> servers;
        lock (_gate)
        {
            foreach (Tunnel t in _effective.Tunnels.Where(t => t.Exist && t.Kind == TunnelKind.DsLite))
            {
                if (t.Remote is FqdnRemote f)
                {
                    wanted.Add((t.Name, f.Fqdn, string.Empty));
                }
                else if (t.Remote is DiscoveredRemote { Method: RemoteDiscovery.Dhcpv6 })
                {
                    string? via = (t.Local as InterfaceLocal)?.Interface;
                    string? name = _effective.PrefixDelegations.OrderBy(pd => pd.Interface == via ? 0 : 1)
                        .Select(pd => _records.GetValueOrDefault(pd.Name)?.Lease).FirstOrDefault(l => l?.AftrName is { Length: > 0 })?.AftrName;
                    wanted.Add((t.Name, name, "no delegation's DHCPv6 server has sent an AFTR-Name (option 64) yet"));
                }
            }

            servers = _effective.PrefixDelegations.Select(pd => _records.GetValueOrDefault(pd.Name)?.Lease)
                .Where(l => l is not null && l.ValidUntil > now).SelectMany(l => l!.DnsServers)
                .Concat(_rdnss.Current(now)).Distinct().ToList();
        }

        aftr.Update(wanted, servers);
    }

    /// <summary>The DS-Lite tunnels the running document wants.</summary>
    private List<Tunnel> DsLiteTunnels()
    {
        lock (_gate)
        {
            return _effective.Tunnels.Where(t => t.Exist && t.Kind == TunnelKind.DsLite).ToList();
        }
    }

    /// <summary>Starts the health probes when the document has a tunnel.</summary>
    private void StartTunnelMonitor(List<Task> lanTasks, CancellationToken stop)
    {
        if (DsLiteTunnels().Count == 0)
        {
            return;
        }

        _tunnelMonitor = new TunnelMonitor(_options.Namespace, _options.Time, _options.TunnelProbeInterval, Log);
        lanTasks.Add(_supervisor.Run("tunnel-probe", () => _tunnelMonitor.RunAsync(ProbeSubjects, stop), stop));
    }

    /// <summary>Each tunnel's path as it stands: the B4's endpoints, or the kernel link's.</summary>
    private IReadOnlyList<ProbeSubject> ProbeSubjects()
    {
        KernelSnapshot? k;
        lock (_gate)
        {
            k = _lastObserved;
        }

        IReadOnlyDictionary<string, UserspaceTunnelState> b4s = _b4s.States();
        return DsLiteTunnels().Select(t =>
        {
            var (local, remote) = PathOf(t, k, b4s);
            bool linked = k?.Link(t.Name) is { IsUp: true };
            return new ProbeSubject(t.Name, t.Probe, remote, linked && remote is not null ? local : null);
        }).ToList();
    }

    private static (IPAddress? Local, IPAddress? Remote) PathOf(Tunnel t, KernelSnapshot? k, IReadOnlyDictionary<string, UserspaceTunnelState> b4s) =>
        b4s.TryGetValue(t.Name, out UserspaceTunnelState? b4) ? (b4.Local, b4.Remote)
            : k?.Link(t.Name)?.Ip6Tnl is { } tnl ? (tnl.Local, tnl.Remote)
            : (null, null);

    /// <summary>The tunnels for the status: backend and why, ends, the AFTR's resolution, health and the B4's counters.</summary>
    private List<TunnelStatus> TunnelStatuses(KernelSnapshot? k, RuntimeFacts facts)
    {
        IReadOnlyDictionary<string, UserspaceTunnelState> b4s = _b4s.States();
        var result = new List<TunnelStatus>();
        foreach (Tunnel t in DsLiteTunnels())
        {
            var (backend, why) = TunnelBindings.Backend(t, k?.Ip6TunnelAvailable ?? true);
            var (local, remote) = PathOf(t, k, b4s);
            TunnelBindings.Remote(t, facts, out string remoteDetail);
            TunnelHealth? health = _tunnelMonitor?.Health(t.Name);
            string? pending = _reconcile.Pending.FirstOrDefault(p => p.StartsWith(t.Name + ":", StringComparison.Ordinal));
            string state = pending is not null && (local is null || remote is null) ? "Pending" : (health?.State ?? TunnelHealthState.Unknown).ToString();
            B4Counters? c = _b4s.Counters(t.Name);
            result.Add(new TunnelStatus(t.Name, backend.ToString().ToLowerInvariant(), state, local?.ToString(), remote?.ToString())
            {
                Reason = pending is not null ? pending[(t.Name.Length + 1)..].Trim() : why,
                RemoteDetail = remoteDetail,
                ProbeTarget = (health?.LastTarget ?? health?.Target(t.Probe, remote))?.ToString(),
                ProbeRttMs = health?.LastRoundTrip?.TotalMilliseconds,
                Since = health?.Since,
                PacketsOut = c?.PacketsToAftr ?? 0,
                BytesOut = c?.BytesToAftr ?? 0,
                PacketsIn = c?.PacketsFromAftr ?? 0,
                BytesIn = c?.BytesFromAftr ?? 0,
                Dropped = c?.Dropped ?? 0,
                LastError = string.Join("; ", new[] { health?.LastError is { } p ? "probe: " + p : null, c?.LastError is { } b ? "b4: " + b : null }.OfType<string>()) is { Length: > 0 } e ? e : null,
            });
        }

        return result;
    }
}
