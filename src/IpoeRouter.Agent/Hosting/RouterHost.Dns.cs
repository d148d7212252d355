using System.Net;
using System.Net.Sockets;
using IpoeRouter.Engine;
using IpoeRouter.Engine.Documents;
using IpoeRouter.Engine.Runtime;
using IpoeRouter.Engine.Loop;
using IpoeRouter.Engine.Planning;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Linux.Rtnl;
using IpoeRouter.Model;
using IpoeRouter.Protocols.Wire;
using IpoeRouter.Services.Dhcp6InfoServer;
using IpoeRouter.Services.DnsForwarder;
using IpoeRouter.Services.RaSender;
using Wan4Client = IpoeRouter.Services.Dhcp4Client.Dhcp4Client;
using Wan4Lease = IpoeRouter.Services.Dhcp4Client.Dhcp4Lease;

namespace IpoeRouter.Agent.Hosting;

internal sealed partial class RouterHost
{
    /// <summary>
    /// Opens the DNS forwarder when the document has one serving some LAN: its names (the DHCPv4
    /// clients' under the scope's domain) and cache, and its sockets on the served interfaces' static
    /// IPv4 addresses; the LANs' IPv6 addresses join as their prefixes arrive (<see cref="UpdateDns"/>).
    /// </summary>
    private void OpenDns(List<IDisposable> disposables)
    {
        IReadOnlySet<string> served = DnsForwarding.ServedInterfaces(_effective);
        if (served.Count == 0)
        {
            return;
        }

        string domain = DnsForwarding.Domain(_effective, out IReadOnlyList<string> ignored);
        if (ignored.Count > 0)
        {
            Log($"dns: one forwarder answers for one local domain; using {domain}, not {string.Join(", ", ignored)} (every client's name goes under {domain})");
        }

        var names = new LocalNames(domain);
        var reserved = new Dictionary<string, IPAddress>(StringComparer.OrdinalIgnoreCase);
        foreach (DhcpReservation r in _effective.DhcpScopes.Where(s => served.Contains(s.Interface)).SelectMany(s => s.Reservations))
        {
            if (LeaseNames.Label(r.Hostname) is { } label)
            {
                reserved.TryAdd(label, r.Address);
            }
        }

        var core = new DnsResolverCore(names, _options.Time, _effective.DnsForwarder?.CacheSize ?? Model.DnsForwarder.DefaultCacheSize);
        var listen = DnsForwarding.StaticAddresses(_effective).Select(a => new DnsListenAddress(a.Interface, a.Address)).ToList();
        NetworkNamespace ns = _options.Namespace;
        var options = new DnsForwarderOptions { UpstreamSocketFactory = (f, t, p) => ns.Run(() => new Socket(f, t, p)) };
        DnsForwarderHost dns = ns.Run(() => DnsForwarderHost.Open(listen, core, options, line => Log($"dns: {line}")));
        disposables.Add(dns);
        Log($"dns: answering on {(listen.Count == 0 ? "no IPv4 address yet" : string.Join(", ", listen.Select(l => l.Address)))} for {string.Join(", ", served.Order(StringComparer.Ordinal))}, local names under {domain}");
        lock (_gate)
        {
            _dns = dns;
            _dnsDomain = domain;
            _leaseNames = new LeaseNames(names, reserved, Log);
            _localNames = names;
        }
    }

    /// <summary>
    /// Points the forwarder at the moment's facts: it listens on the served LANs' current IPv6 router
    /// addresses besides the static IPv4 ones, treats the LANs' /64s as local for reverse lookups, and
    /// forwards to the document's upstreams and those learnt on the WAN (the delegations' DHCPv6 DNS).
    /// </summary>
    private void UpdateDns(IReadOnlyList<LanService> lans)
    {
        if (_dns is not { } dns)
        {
            return;
        }

        IReadOnlySet<string> served = DnsForwarding.ServedInterfaces(_effective);
        var listen = DnsForwarding.StaticAddresses(_effective).Select(a => new DnsListenAddress(a.Interface, a.Address)).ToList();
        // The LANs' subnets are local for reverse lookups: an address there nobody holds gets NXDOMAIN, not a query upstream.
        var lanPrefixes = _effective.Interfaces.Where(i => served.Contains(i.Name))
            .SelectMany(i => i.Addresses.OfType<StaticAddress>().Select(a => a.Value.Network)).ToList();
        List<IPAddress> learned;
        lock (_gate)
        {
            foreach (LanService lan in lans.Where(l => served.Contains(l.Interface)))
            {
                if (lan.RouterAddress is { } address)
                {
                    listen.Add(new DnsListenAddress(lan.Interface, address));
                }

                lanPrefixes.AddRange(lan.Prefixes.Select(p => new IPNetwork(p.Prefix, 64)));
            }

            DateTimeOffset now = _options.Time.GetUtcNow();
            learned = _records.Values.Select(r => r?.Lease).Where(l => l is not null && l.ValidUntil > now).SelectMany(l => l!.DnsServers)
                .Concat(_rdnss.Current(now))
                .Concat(_wan4.Values.Where(l => l is not null && l.ExpiresAt > now).SelectMany(l => l!.DnsServers)).ToList();
        }

        if (listen.ToHashSet().SetEquals(dns.Listening))
        {
            _dnsListenError = null;
        }
        else
        {
            try
            {
                _options.Namespace.Run(() =>
                {
                    dns.SetListenAddresses(listen);
                    return 0;
                });
                _dnsListenError = null;
                Log($"dns: answering on {string.Join(", ", listen.Select(l => l.Address))}");
            }
            catch (Exception e) when (e is Services.Hosting.PortInUseException or System.Net.Sockets.SocketException)
            {
                // The addresses it had keep answering; the next update tries again.
                if (_dnsListenError != e.Message)
                {
                    Log($"dns: {e.Message}");
                }

                _dnsListenError = e.Message;
            }
        }

        _localNames?.SetLanPrefixes(lanPrefixes);
        IReadOnlyList<IPAddress> upstreams = DnsForwarding.Upstreams(_effective, learned);
        if (!upstreams.SequenceEqual(_dnsUpstreams))
        {
            dns.SetUpstreams(upstreams);
            _dnsUpstreams = upstreams;
            Log($"dns: forwarding to {(upstreams.Count == 0 ? "no upstream yet (queries get SERVFAIL)" : string.Join(", ", upstreams))}");
        }
    }

    /// <summary>
    /// Hears the RDNSS options of the RAs the WAN interfaces receive (the kernel passes them up) and
    /// re-plans when the servers they name change; blocks its thread until an RA comes or the stop ends the receive.
    /// </summary>
    private void ListenForRdnss(NdUserOptionListener listener, CancellationToken stop)
    {
        using CancellationTokenRegistration ending = stop.Register(listener.Stop); // a blocked receive ends at once
        while (!stop.IsCancellationRequested)
        {
            foreach (NdUserOptionMessage m in listener.Receive())
            {
                string? wan = _lastObserved?.Links.FirstOrDefault(l => l.Index == m.InterfaceIndex)?.Name;
                if (m.IcmpType != Protocols.Icmp6.RouterAdvertisement.IcmpType
                    || wan is null || !_effective.Interfaces.Any(i => i.Name == wan && i.Role == InterfaceRole.Wan))
                {
                    continue;
                }

                IReadOnlyList<Protocols.Icmp6.NdOption> options;
                try
                {
                    options = Protocols.Icmp6.NdOption.ParseList(m.Options);
                }
                catch (WireFormatException e)
                {
                    Log($"rdnss:{wan}: an RA from {m.Source} carried options that do not parse ({e.Message}); ignored");
                    continue;
                }

                if (_rdnss.Apply(m.InterfaceIndex, options, _options.Time.GetUtcNow()))
                {
                    IReadOnlyList<IPAddress> now = _rdnss.Current(_options.Time.GetUtcNow());
                    Log($"rdnss:{wan}: the RAs name {(now.Count == 0 ? "no DNS server" : string.Join(", ", now))}");
                    _loop?.Post(new Cause(CauseKind.Lease, $"RDNSS from {m.Source} on {wan}", _options.Time.GetUtcNow()));
                }
            }
        }
    }
}
