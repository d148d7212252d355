using System.Net;
using IpoeRouter.Control;
using IpoeRouter.Engine;
using IpoeRouter.Engine.Runtime;
using IpoeRouter.Engine.Kernel;
using IpoeRouter.Engine.Planning;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Linux.Rtnl;
using IpoeRouter.Model;
using IpoeRouter.Protocols.Dhcp6;
using IpoeRouter.Protocols.Wire;
using IpoeRouter.Services.Dhcp6InfoServer;
using IpoeRouter.Services.Dhcp6PdClient;
using IpoeRouter.Services.RaSender;
using Wan4Lease = IpoeRouter.Services.Dhcp4Client.Dhcp4Lease;

namespace IpoeRouter.Agent.Hosting;

internal sealed partial class RouterHost
{
    /// <summary>Recomputes every LAN's announcement from its delegation's lease and hands it to the LAN's services.</summary>
    private void UpdateLans()
    {
        DateTimeOffset now = _options.Time.GetUtcNow();
        KernelSnapshot? k;
        List<LanService> lans;
        lock (_gate)
        {
            k = _lastObserved;
            lans = [.. _lans];
        }

        foreach (LanService lan in lans)
        {
            try
            {
                UpdateLan(lan, k, now);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // One LAN's bad state must not stop the others (nor the agent): it shows in the log.
                Log($"ra:{lan.Interface}: cannot work out what to announce: {e.Message}");
            }
        }

        UpdateDns(lans);
        NamesAfterPass();
        _tunnelMonitor?.Poke();
    }

    private void UpdateLan(LanService lan, KernelSnapshot? k, DateTimeOffset now)
    {
        PdClientRecord? record;
        lock (_gate)
        {
            record = _records.GetValueOrDefault(lan.Delegation);
        }

        LeasedPrefix? delegated = record?.Lease?.Prefixes.FirstOrDefault(p => p.ValidUntil > now);
        IReadOnlyList<AnnouncedPrefix> prefixes = LanPrefixes.Next(lan.Prefixes, delegated, lan.SubnetId, now);
        IPAddress? routerAddress = prefixes.FirstOrDefault(p => p.WithdrawnAt is null) is { } current
            ? PrefixMath.WithHost(new IPNetwork(current.Prefix, 64), lan.Host)
            : null;
        if (delegated is not null && routerAddress is null)
        {
            Log($"ra:{lan.Interface}: subnet id {lan.SubnetId} does not fit the delegated {delegated}; nothing to announce");
        }

        LinkInfo? link = k?.Link(lan.Interface);
        if (routerAddress is not null && !routerAddress.Equals(lan.RouterAddress) && link is not null
            && !k!.Addresses.Any(a => a.Index == link.Index && a.Address.Equals(routerAddress)))
        {
            // The LAN hears of a /64 only once the kernel holds the router's address in it (a pass held,
            // pending or failed has not put it there): hosts would take a prefix whose router is not there.
            return;
        }

        IReadOnlyList<IPAddress> dns = lan.ServesDns
            ? (routerAddress is null ? [] : [routerAddress])
            : record?.Lease?.DnsServers ?? [];
        // The router's address in a withdrawn /64 was the LAN's DNS server: revoke it while hosts may still hold it.
        IReadOnlyList<IPAddress> revoked = lan.ServesDns
            ? prefixes.Where(p => p.WithdrawnAt is not null && p.ValidLeft(now) > TimeSpan.Zero)
                .Select(p => PrefixMath.WithHost(new IPNetwork(p.Prefix, 64), lan.Host)).Where(a => !dns.Contains(a)).ToList()
            : [];
        lock (_gate)
        {
            lan.Prefixes = prefixes;
            lan.RouterAddress = routerAddress;
        }

        if (lan.Mode != Ipv6Mode.None)
        {
            lan.Ra.Update(new LanAnnouncement(prefixes, dns, lan.SearchList, (uint)(link?.Mtu ?? 1500), lan.Mode == Ipv6Mode.Stateless,
                new ByteString(link?.HardwareAddressBytes() ?? []))
            {
                RevokedDnsServers = revoked,
            });
        }

        lan.Info?.Update(new InfoServerConfig(lan.ServerId, dns, lan.SearchList, TimeSpan.FromHours(1)));
    }

    private void OpenLans(KernelSnapshot k, List<IDisposable> disposables)
    {
        var lans = new List<LanService>();
        foreach (PrefixDelegation pd in _effective.PrefixDelegations)
        {
            foreach (Downstream ds in pd.Downstreams)
            {
                DhcpScope? scope = _effective.DhcpScopes.FirstOrDefault(s => s.Interface == ds.Interface);
                Ipv6Mode mode = scope?.Ipv6Mode ?? Ipv6Mode.Stateless;
                LinkInfo link = k.Link(ds.Interface) ?? throw new IpoeException(EngineErrorIds.InterfaceNotFound, ErrorKind.ObjectNotFound,
                    $"The LAN interface {ds.Interface} (downstream of delegation {pd.Name}) does not exist.", ds.Interface);
                IRaTransport transport = _options.Namespace.Run(() => IcmpRaTransport.Open(link.Name, link.Index));
                disposables.Add(transport);
                var lan = new LanService(pd.Name, ds.Interface, ds.SubnetId, ds.EffectiveHost, mode)
                {
                    ServesDns = DnsForwarding.ServedInterfaces(_effective).Contains(ds.Interface),
                    SearchList = scope is null ? [] : scope.SearchList.Count > 0 ? [.. scope.SearchList] : scope.Domain is { } d ? [d] : [],
                    ServerId = new DuidLl(DuidLl.Ethernet, new ByteString(link.HardwareAddressBytes())),
                };
                lan.Ra = new RaSenderHost(ds.Interface, transport, _options.Time, Random.Shared.NextDouble, Log,
                    _options.RaMaxInterval is { } max ? RaIntervals.FromMax(max) : null)
                {
                    Sent = sent =>
                    {
                        Interlocked.Increment(ref lan.Sent);
                        var pios = sent.Advertisement.Options.OfType<Protocols.Icmp6.PrefixInformationOption>().ToList();
                        string what = string.Join(", ", pios.Select(p => $"{p.Prefix}/{p.PrefixLength} valid {p.ValidLifetime} preferred {p.PreferredLifetime}"));
                        string news = string.Join(",", pios.Select(p => $"{p.Prefix}{(p.PreferredLifetime == 0 ? "-" : "+")}")) + sent.Advertisement.RouterLifetime switch { 0 => " final", _ => string.Empty };
                        if (news != lan.LastLogged)
                        {
                            lan.LastLogged = news; // logged when what hosts are told changes, not for every RA
                            Log($"ra:{ds.Interface}: announcing {(what.Length == 0 ? "no prefix" : what)}, router lifetime {sent.Advertisement.RouterLifetime}");
                        }
                    },
                };
                if (mode == Ipv6Mode.Stateless)
                {
                    InfoServerHost info = _options.Namespace.Run(() => InfoServerHost.Open(link.Name, link.Index,
                        new InfoServerConfig(lan.ServerId, [], [], TimeSpan.FromHours(1)), Log));
                    disposables.Add(info);
                    lan.Info = info;
                }

                lans.Add(lan);
            }
        }

        lock (_gate)
        {
            _lans.AddRange(lans);
        }
    }
}
