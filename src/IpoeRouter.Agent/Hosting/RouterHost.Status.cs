using System.Net;
using System.Net.Sockets;
using IpoeRouter.Control;
using IpoeRouter.Engine.Documents;
using IpoeRouter.Engine.Runtime;
using IpoeRouter.Engine.Kernel;
using IpoeRouter.Engine.Loop;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Linux.Rtnl;
using IpoeRouter.Model;
using IpoeRouter.Protocols.Wire;
using IpoeRouter.Services.Dhcp4Server;
using IpoeRouter.Services.DnsForwarder;
using IpoeRouter.Services.Dhcp6PdClient;
using Wan4Client = IpoeRouter.Services.Dhcp4Client.Dhcp4Client;

namespace IpoeRouter.Agent.Hosting;

internal sealed partial class RouterHost
{
    /// <summary>The router as it stands (safe to call from any thread while running).</summary>
    public RouterStatus Status()
    {
        DateTimeOffset now = _options.Time.GetUtcNow();
        lock (_gate)
        {
            KernelSnapshot? k = _lastObserved;
            var wans = _effective.Interfaces.Where(i => i.Role == InterfaceRole.Wan).Select(i => WanOf(i.Name, k)).ToList();
            var delegations = _effective.PrefixDelegations.Select(pd =>
            {
                PdLease? lease = _records.GetValueOrDefault(pd.Name)?.Lease;
                LeasedPrefix? p = lease?.Prefixes.FirstOrDefault();
                string state = _clients.TryGetValue(pd.Name, out PdClient? c) ? c.State.ToString() : "NotStarted";
                return new DelegationStatus(pd.Name, pd.Interface, state, p?.ToString(), p?.PreferredUntil, p?.ValidUntil, lease?.RenewAt, lease?.RebindAt,
                    lease?.DnsServers.Select(d => d.ToString()).ToList() ?? [], lease?.AftrName, _records.GetValueOrDefault(pd.Name)?.ClientId.ToHex());
            }).ToList();
            var lans = _lans.Select(l => new LanStatus(l.Interface,
                l.Prefixes.FirstOrDefault(p => p.WithdrawnAt is null) is { } cur ? $"{cur.Prefix}/64" : null,
                l.Prefixes.Where(p => p.WithdrawnAt is not null && p.ValidLeft(now) > TimeSpan.Zero).Select(p => $"{p.Prefix}/64").ToList(),
                l.Ra.LastSent?.At, l.Sent, l.Info is not null, l.Info?.Answered ?? 0)).ToList();
            var dhcp4 = _dhcp4.Select(h => Dhcp4StatusOf(h, now)).ToList();
            PassRecord? last = _loop?.Last;
            ReconcileStatus reconcile = _reconcile with
            {
                Causes = last?.Causes.Select(c => c.ToString()).ToList() ?? [],
                DurationMs = last?.Duration.TotalMilliseconds,
                Passes = _loop?.Passes ?? 0,
                CauseCounts = (_loop?.CauseCounts ?? new Dictionary<CauseKind, long>()).ToDictionary(c => c.Key.ToString().ToLowerInvariant(), c => c.Value),
                OutcomeCounts = _loop?.OutcomeCounts ?? new Dictionary<string, long>(),
                Held = _held.Current is { } h ? new PendingApply(h.Id, h.Deadline, 0) : null,
            };
            return new RouterStatus(now, _document.Path, Environment.ProcessId, wans, delegations, lans, _supervisor.Snapshot(), reconcile)
            {
                Document = new DocumentStatus(_document.Path, _document.LoadedAt, _document.RunningFingerprint)
                {
                    RefusedAt = _document.RefusedAt,
                    RefusedErrors = _document.RefusedErrors,
                },
                Namespace = _namespaceIdentity,
                Tunnels = TunnelStatuses(k, Facts()),
                Dhcp4 = dhcp4,
                Dns = DnsStatusOf(),
                Wan4 = _wan4.Select(w => new Dhcp4ClientStatus(w.Key,
                    _wan4Clients.TryGetValue(w.Key, out Wan4Client? c) ? c.State.ToString() : "NotStarted",
                    w.Value is { } l && l.ExpiresAt > now ? $"{l.Address}/{l.PrefixLength}" : null,
                    w.Value?.ServerId.ToString(), w.Value?.DnsServers.Select(d => d.ToString()).ToList() ?? [],
                    w.Value is { T1: var t1 } r && t1 != TimeSpan.MaxValue ? r.RenewAt : null,
                    w.Value is { LeaseTime: var t } v && t != TimeSpan.MaxValue ? v.ExpiresAt : null)).ToList(),
            };
        }
    }

    private DnsStatus? DnsStatusOf()
    {
        if (_dns is not { } dns)
        {
            return null;
        }

        DnsForwarderCounters c = dns.Counters;
        return new DnsStatus(
            dns.Listening.Select(l => $"{l.Address} ({l.InterfaceName})").ToList(),
            dns.Upstreams.Select(u => u.ToString()).ToList(),
            _dnsDomain!,
            (_leaseNames?.Current ?? new Dictionary<string, (IPAddress, IReadOnlyList<IPAddress>)>()).OrderBy(n => n.Key, StringComparer.Ordinal)
                .Select(n => string.Join(' ', [$"{n.Key}.{_dnsDomain}", n.Value.IPv4.ToString(), .. n.Value.IPv6.Select(a => a.ToString())])).ToList(),
            c.Queries, c.LocalAnswers, c.CacheHits, c.Forwarded, c.Failures, c.Dropped)
        {
            ListenError = _dnsListenError,
        };
    }

    private static Dhcp4ScopeStatus Dhcp4StatusOf(Dhcp4ServerHost host, DateTimeOffset now)
    {
        IReadOnlyList<Dhcp4Lease> leases = host.Leases();
        var bound = leases.Where(l => l.State == Dhcp4LeaseState.Bound && l.Expiry > now).OrderBy(l => l.Address.GetAddressBytes(), Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b))).ToList();
        return new Dhcp4ScopeStatus(host.Interface, host.Config.Pool?.ToString(), host.Config.Pool?.Size ?? 0,
            bound.Select(l => new Dhcp4LeaseStatus(l.Address.ToString(), l.HardwareAddress.ToString(), l.HostName, l.Expiry)).ToList(),
            host.Received, host.Replied, host.Unwritten);
    }

    private static WanStatus WanOf(string name, KernelSnapshot? k)
    {
        LinkInfo? link = k?.Link(name);
        if (k is null || link is null)
        {
            return new WanStatus(name, [], []);
        }

        static long? Left(uint seconds) => seconds == Linux.Interop.Ifa.InfinityLifetime ? null : seconds;
        var addresses = k.Addresses.Where(a => a.Index == link.Index && a.Address.AddressFamily == AddressFamily.InterNetworkV6)
            .Select(a => new WanAddress(a.Address.ToString(), a.PrefixLength, a.Address.IsIPv6LinkLocal ? "link" : "global", Left(a.ValidLifetime), Left(a.PreferredLifetime)))
            .ToList();
        var routes = k.Routes.Where(r => r.OutputIndex == link.Index && r.Destination.PrefixLength == 0 && r.Destination.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6)
            .Select(r => new WanDefaultRoute(r.Gateway?.ToString(), r.Protocol switch { 9 => "ra", 233 => "ipoe", 4 => "static", 3 => "boot", _ => r.Protocol.ToString(System.Globalization.CultureInfo.InvariantCulture) }, r.Expires))
            .ToList();
        return new WanStatus(name, addresses, routes);
    }
}
