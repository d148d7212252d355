using System.Net;
using System.Net.Sockets;
using IpoeRouter.Engine.Documents;
using IpoeRouter.Engine.Kernel;
using IpoeRouter.Engine.Planning;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Linux.Rtnl;
using IpoeRouter.Model;
using IpoeRouter.Protocols.Dhcp6;
using IpoeRouter.Protocols.Wire;
using IpoeRouter.Services.Dhcp4Server;
using IpoeRouter.Services.Dhcp6InfoServer;
using IpoeRouter.Services.DnsForwarder;
using IpoeRouter.Services.Dhcp6PdClient;
using IpoeRouter.Services.RaSender;
using Wan4Client = IpoeRouter.Services.Dhcp4Client.Dhcp4Client;
using Wan4Lease = IpoeRouter.Services.Dhcp4Client.Dhcp4Lease;

namespace IpoeRouter.Engine.Runtime;

/// <summary>How the runtime runs: where the document and the state are, in which namespace, on which clock.</summary>
public sealed record RuntimeOptions(string DocumentPath, string StateDirectory)
{
    /// <summary>Where persisted state lives unless <c>$IPOE_STATE_DIR</c> says otherwise.</summary>
    public const string DefaultStateDirectory = "/var/lib/ipoe";

    /// <summary>The namespace whose kernel and links are the router's (the caller's by default).</summary>
    public NetworkNamespace Namespace { get; init; } = NetworkNamespace.Current;

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where log lines go.</summary>
    public Action<string> Log { get; init; } = Console.Error.WriteLine;

    /// <summary>Whether stopping releases the delegations (false: a restart Rebinds and keeps the prefix).</summary>
    public bool ReleaseOnStop { get; init; }

    /// <summary>MaxRtrAdvInterval (RFC 4861 §6.2.1: 600 s unless set; MinRtrAdvInterval is a third of it).</summary>
    public TimeSpan? RaMaxInterval { get; init; }

    /// <summary>How long to wait for an interface's link-local address to finish DAD before its services start anyway.</summary>
    public TimeSpan LinkLocalWait { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// The router at run time: reads the document, converges the kernel to it, and hosts the embedded
/// services that produce the facts the document binds to — a DHCPv6-PD client per delegation, and
/// on each of its downstream LANs the Router Advertisements and the stateless DHCPv6 server. Every
/// lease change is saved (atomically) and re-plans: the LAN addresses follow the new prefix, then
/// the RAs announce it and deprecate the old one. The agent is a thin shell around this.
/// </summary>
public sealed class RouterRuntime
{
    private readonly RuntimeOptions _options;
    private readonly object _gate = new();
    private readonly SemaphoreSlim _dirty = new(0);
    private readonly Dictionary<string, PdClientRecord?> _records = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PdClient> _clients = new(StringComparer.Ordinal);
    private readonly List<Lan> _lans = [];
    private readonly List<Dhcp4ServerHost> _dhcp4 = [];
    private DnsForwarderHost? _dns;
    private LeaseNames? _leaseNames;
    private LocalNames? _localNames;
    private string? _dnsDomain;
    private IReadOnlyList<IPAddress> _dnsUpstreams = [];
    private string? _dnsListenError;
    private readonly Dictionary<string, Wan4Lease?> _wan4 = new(StringComparer.Ordinal); // WAN interface → its DHCPv4 lease
    private readonly Dictionary<string, Wan4Client> _wan4Clients = new(StringComparer.Ordinal);
    private readonly List<TaskCompletionSource> _reconcileWaiters = [];
    private volatile bool _stopping;
    private readonly RdnssTable _rdnss = new();
    private readonly Dictionary<string, ServiceStatus> _services = new(StringComparer.Ordinal);
    private RouterDocument _effective = RouterDocument.Empty;
    private KernelSnapshot? _lastObserved;
    private NetlinkKernel? _kernel;
    private ReconcileStatus _reconcile = new(null, "NotRun", [], null);
    private readonly HashSet<string> _lost = new(StringComparer.Ordinal); // delegations whose prefix this run saw go

    /// <summary>Creates the runtime; nothing happens until <see cref="RunAsync"/>.</summary>
    public RouterRuntime(RuntimeOptions options) => _options = options;

    /// <summary>The state directory in effect: <c>$IPOE_STATE_DIR</c>, else <see cref="RuntimeOptions.DefaultStateDirectory"/>.</summary>
    public static string StateDirectoryFromEnvironment() =>
        Environment.GetEnvironmentVariable("IPOE_STATE_DIR") is { Length: > 0 } d ? d : RuntimeOptions.DefaultStateDirectory;

    /// <summary>The file a delegation's DUID and lease are kept in.</summary>
    public string LeaseFile(string delegation) => Path.Combine(_options.StateDirectory, $"pd-{delegation}.json");

    /// <summary>
    /// Runs until <paramref name="stop"/> is cancelled. Throws before anything is applied when the
    /// document is missing or invalid (<see cref="IpoeException"/>, errors with file:line:col), when
    /// another agent holds the state directory (<see cref="EngineErrorIds.AgentAlreadyRunning"/>), or
    /// when a service's port is held by another program (<see cref="EngineErrorIds.PortInUse"/>,
    /// naming it): every socket is opened before the first reconcile.
    /// </summary>
    public async Task RunAsync(CancellationToken stop)
    {
        DocumentSnapshot document = DocumentStore.Load(_options.DocumentPath);
        foreach (var warning in document.Loaded.Warnings)
        {
            Log($"document: warning {warning}");
        }

        _effective = document.Loaded.Effective;
        Directory.CreateDirectory(_options.StateDirectory);
        using FileStream stateLock = LockStateDirectory();
        lock (_gate)
        {
            foreach (PrefixDelegation pd in _effective.PrefixDelegations)
            {
                _records[pd.Name] = LoadRecord(pd);
            }

            foreach (Interface wan in Wan4Interfaces())
            {
                _wan4[wan.Name] = LoadWan4Lease(wan.Name);
            }
        }

        using var kernel = new NetlinkKernel(_options.Namespace);
        using NetlinkSocket socket = _options.Namespace.OpenSocket();
        _kernel = kernel;
        var reconciler = new Reconciler(kernel);
        Observe();
        KernelSnapshot k = _lastObserved ?? throw new IOException("the kernel's links could not be read");

        var disposables = new List<IDisposable>();
        var lanTasks = new List<Task>();
        var pdTasks = new List<Task>();
        using var lanStop = new CancellationTokenSource(); // not linked: the LAN services outlive the PD clients on the way out
        using var pdStop = CancellationTokenSource.CreateLinkedTokenSource(stop);
        try
        {
            // Every socket first: a port another program holds stops the agent before anything is applied.
            var transports = new Dictionary<string, UdpDhcp6ClientTransport>(StringComparer.Ordinal);
            var wan4Transports = new Dictionary<string, Services.Dhcp4Client.UdpDhcp4ClientTransport>(StringComparer.Ordinal);
            NdUserOptionListener? rdnss = null;
            try
            {
                OpenLans(k, disposables);
                OpenDns(disposables);
                OpenDhcp4Servers(k, disposables);
                foreach (PrefixDelegation pd in _effective.PrefixDelegations)
                {
                    transports[pd.Name] = OpenPdTransport(pd, k, disposables);
                }

                if (_dns is not null && _effective.DnsForwarder?.UseLearnedUpstreams != false
                    && _effective.Interfaces.Any(i => i.Role == InterfaceRole.Wan && i.AcceptRa != false))
                {
                    rdnss = _options.Namespace.Run(() => NdUserOptionListener.Open(TimeSpan.FromSeconds(1)));
                    disposables.Add(rdnss);
                }

                foreach (Interface wan in Wan4Interfaces())
                {
                    LinkInfo link = k.Link(wan.Name) ?? throw new IpoeException(EngineErrorIds.InterfaceNotFound, ErrorKind.ObjectNotFound,
                        $"The interface {wan.Name} (dhcp4: true) does not exist.", wan.Name);
                    var transport = _options.Namespace.Run(() => Services.Dhcp4Client.UdpDhcp4ClientTransport.Open(link.Name));
                    disposables.Add(transport);
                    wan4Transports[wan.Name] = transport;
                }
            }
            catch (Services.Hosting.PortInUseException e)
            {
                throw new IpoeException(EngineErrorIds.PortInUse, ErrorKind.ResourceUnavailable, e.Message, null, e);
            }

            Reconcile(reconciler); // links up, sysctl, fixed addresses, and the LAN /64s of saved leases still valid

            // Sending needs a link-local source address past DAD on each interface a service sends from.
            var addresses = new AddressOps(socket);
            foreach (string name in _lans.Select(l => l.Interface).Concat(_effective.PrefixDelegations.Select(pd => pd.Interface)).Distinct())
            {
                if (_lastObserved?.Link(name) is { } link)
                {
                    WaitForLinkLocal(addresses, link);
                }
            }

            UpdateLans();
            foreach (Lan lan in _lans)
            {
                lanTasks.Add(Supervise($"ra:{lan.Interface}", () => lan.Ra.RunAsync(lanStop.Token), lanStop.Token));
                if (lan.Info is { } info)
                {
                    lanTasks.Add(Supervise($"dhcp6-server:{lan.Interface}", () => info.RunAsync(_options.Time, lanStop.Token), lanStop.Token));
                }
            }

            foreach (Dhcp4ServerHost dhcp4 in _dhcp4)
            {
                lanTasks.Add(Supervise($"dhcp4-server:{dhcp4.Interface}", () => dhcp4.RunAsync(_options.Time, lanStop.Token), lanStop.Token));
            }

            if (_dns is { } dns)
            {
                lanTasks.Add(Supervise("dns", () => dns.RunAsync(lanStop.Token), lanStop.Token));
            }

            if (_leaseNames is not null && _dhcp4.Count > 0)
            {
                NetlinkSocket neighbors = _options.Namespace.OpenSocket();
                disposables.Add(neighbors);
                lanTasks.Add(Supervise("lan-names", () => RefreshIPv6NamesAsync(new NeighborOps(neighbors), lanStop.Token), lanStop.Token));
            }

            if (rdnss is not null)
            {
                lanTasks.Add(Supervise("rdnss", () => Task.Factory.StartNew(() => ListenForRdnss(rdnss, lanStop.Token), CancellationToken.None,
                    TaskCreationOptions.LongRunning, TaskScheduler.Default), lanStop.Token));
            }

            foreach (PrefixDelegation pd in _effective.PrefixDelegations)
            {
                UdpDhcp6ClientTransport transport = transports[pd.Name];
                pdTasks.Add(Supervise($"pd:{pd.Name}", () => NewPdHost(pd, transport).RunAsync(CurrentLease(pd.Name), pdStop.Token), pdStop.Token));
            }

            foreach (var (name, transport) in wan4Transports)
            {
                byte[] mac = k.Link(name)!.HardwareAddressBytes();
                pdTasks.Add(Supervise($"dhcp4-client:{name}", () => NewWan4Host(name, mac, transport).RunAsync(CurrentWan4Lease(name), pdStop.Token), pdStop.Token));
            }

            await ReconcileLoop(reconciler, stop).ConfigureAwait(false);

            // A graceful stop: the PD and WAN DHCPv4 clients first (a Release, when asked for, withdraws the
            // prefix and the address), then one last pass so the addresses and final RA tell the truth, then
            // the LAN services.
            StopReconcileWaiters();
            await pdStop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(pdTasks).ConfigureAwait(false);
            if (_options.ReleaseOnStop)
            {
                Reconcile(reconciler);
                UpdateLans();
            }
        }
        finally
        {
            StopReconcileWaiters();
            await pdStop.CancelAsync().ConfigureAwait(false);
            await lanStop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(pdTasks.Concat(lanTasks)).ConfigureAwait(false);
            foreach (IDisposable d in disposables)
            {
                d.Dispose();
            }
        }
    }

    /// <summary>
    /// Takes the state directory for this agent alone (an advisory lock on agent.lock, released when
    /// the process ends however it ends; the holder's pid in agent.pid): two agents on one state would
    /// fight over leases and RAs.
    /// </summary>
    private FileStream LockStateDirectory()
    {
        string path = Path.Combine(_options.StateDirectory, "agent.lock");
        string pidFile = Path.Combine(_options.StateDirectory, "agent.pid");
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); // flock(LOCK_EX | LOCK_NB)
        }
        catch (IOException e)
        {
            string holder = File.Exists(pidFile) ? File.ReadAllText(pidFile).Trim() : "?";
            throw new IpoeException(EngineErrorIds.AgentAlreadyRunning, ErrorKind.ResourceUnavailable,
                $"Another ipoe-agent (pid {holder}) is running with the state directory {_options.StateDirectory}; stop it first.", path, e);
        }

        try
        {
            AtomicFile.Write(pidFile, System.Text.Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n"));
        }
        catch
        {
            file.Dispose();
            throw;
        }

        return file;
    }

    private PdLease? CurrentLease(string delegation)
    {
        lock (_gate)
        {
            return _records.GetValueOrDefault(delegation)?.Lease;
        }
    }

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
            return new RouterStatus(now, _options.DocumentPath, Environment.ProcessId, wans, delegations, lans, _services.Values.OrderBy(s => s.Name, StringComparer.Ordinal).ToList(), _reconcile)
            {
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

    private async Task ReconcileLoop(Reconciler reconciler, CancellationToken stop)
    {
        TimeSpan? retry = null;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                // Wake on a service event, at the retry time of a pending plan, and every minute to refresh the status' view.
                TimeSpan wait = retry is { } r && r < TimeSpan.FromMinutes(1) ? r : TimeSpan.FromMinutes(1);
                bool signalled = await _dirty.WaitAsync(wait, stop).ConfigureAwait(false);
                while (_dirty.CurrentCount > 0)
                {
                    await _dirty.WaitAsync(stop).ConfigureAwait(false); // coalesce a burst into one pass
                }

                if (signalled || retry is not null)
                {
                    List<TaskCompletionSource> waiting;
                    lock (_gate)
                    {
                        waiting = [.. _reconcileWaiters]; // asked before this pass: it applies what they changed
                        _reconcileWaiters.Clear();
                    }

                    retry = Reconcile(reconciler);
                    UpdateLans();
                    if (_reconcile.Outcome == "Held")
                    {
                        lock (_gate)
                        {
                            _reconcileWaiters.AddRange(waiting); // nothing was applied: they wait for a pass that applies (or their own timeout)
                        }
                    }
                    else
                    {
                        waiting.ForEach(w => w.TrySetResult());
                    }
                }
                else
                {
                    Observe();
                    UpdateLans(); // withdrawn prefixes whose valid lifetime ran out leave the RA
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }
    }

    /// <summary>One reconcile with the facts of the moment; returns when to try again (null: converged or failed for good).</summary>
    private TimeSpan? Reconcile(Reconciler reconciler)
    {
        RuntimeFacts facts = Facts();
        DateTimeOffset now = _options.Time.GetUtcNow();
        IReadOnlyList<string> waiting;
        try
        {
            waiting = Journal.PendingApplies.Ids();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            lock (_gate)
            {
                _reconcile = new ReconcileStatus(now, "Failed", [], $"cannot read {Journal.PendingApplies.Directory}: {e.Message}");
            }

            return Reconciler.PendingRetry;
        }

        if (waiting.Count > 0)
        {
            // An apply made with -ConfirmWithin waits: applying now would make its rollback undo the wrong state.
            string why = $"an apply waits for confirmation ({string.Join(", ", waiting)}); reconciles resume after Confirm-IpoeReconcile or Undo-IpoeReconcile";
            if (_reconcile.Outcome != "Held")
            {
                Log($"reconcile: held: {why}");
            }

            lock (_gate)
            {
                _reconcile = new ReconcileStatus(now, "Held", [], why);
            }

            Observe();
            return TimeSpan.FromSeconds(5);
        }

        ReconcileResult result;
        try
        {
            result = reconciler.Reconcile(_effective, facts);
        }
        catch (Exception e) when (Applier.IsKernelFailure(e) || e is IpoeException or InvalidOperationException)
        {
            // The kernel refused or changed under us (an interrupted dump while addresses settle): next pass.
            lock (_gate)
            {
                _reconcile = new ReconcileStatus(now, "Failed", [], e.Message);
            }

            Log($"reconcile: failed: {e.Message}");
            return Reconciler.PendingRetry;
        }

        foreach (ResourceDiff applied in result.Applied)
        {
            Log($"reconcile: {applied.Summary}");
        }

        string? error = result.Outcome is ReconcileOutcome.Failed f ? $"{result.Failure?.Failed?.Summary ?? "observe"}: {f.Error.Message}" : null;
        if (error is not null)
        {
            Log($"reconcile: failed, rolled back: {error}");
        }

        lock (_gate)
        {
            _reconcile = new ReconcileStatus(now, result.Outcome switch
            {
                ReconcileOutcome.Converged => "Converged",
                ReconcileOutcome.RetryAfter => "Pending",
                _ => "Failed",
            }, result.Remaining.Pending.Select(p => $"{p.Key}: {p.Reason}").ToList(), error);
        }

        Observe();
        return result.Outcome switch
        {
            ReconcileOutcome.RetryAfter after => after.After,
            ReconcileOutcome.Failed { Retryable: true } => Reconciler.PendingRetry,
            _ => null,
        };
    }

    /// <summary>Refreshes the kernel view the status and the LAN announcements read (on the reconcile loop only: the netlink socket is not shared).</summary>
    private void Observe()
    {
        try
        {
            KernelSnapshot snapshot = _kernel!.Observe([]);
            lock (_gate)
            {
                _lastObserved = snapshot;
            }
        }
        catch (Exception e) when (Applier.IsKernelFailure(e))
        {
            Log($"status: cannot read the kernel: {e.Message}");
        }
    }

    private RuntimeFacts Facts()
    {
        DateTimeOffset now = _options.Time.GetUtcNow();
        var prefixes = new Dictionary<string, IPNetwork>(StringComparer.Ordinal);
        var lost = new HashSet<string>(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var (name, record) in _records)
            {
                if (record?.Lease?.Prefixes.FirstOrDefault(p => p.ValidUntil > now) is { } p)
                {
                    prefixes[name] = new IPNetwork(p.Prefix, p.Length);
                }
                else if (_lost.Contains(name) || record?.Lease is not null)
                {
                    lost.Add(name); // withdrawn, or a recorded lease whose prefixes all expired
                }
            }
        }

        var leased = new Dictionary<string, LeasedAddress>(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var (name, lease) in _wan4)
            {
                if (lease is not null && lease.RemainingAt(now) is var left && left > TimeSpan.Zero)
                {
                    leased[name] = new LeasedAddress(lease.Address, lease.PrefixLength, left == TimeSpan.MaxValue ? null : (uint)Math.Min(Math.Ceiling(left.TotalSeconds), uint.MaxValue - 1));
                }
            }
        }

        return new RuntimeFacts { DelegatedPrefixes = prefixes, LostDelegations = lost, Dhcp4Addresses = leased };
    }

    /// <summary>Recomputes every LAN's announcement from its delegation's lease and hands it to the LAN's services.</summary>
    private void UpdateLans()
    {
        DateTimeOffset now = _options.Time.GetUtcNow();
        KernelSnapshot? k;
        List<Lan> lans;
        lock (_gate)
        {
            k = _lastObserved;
            lans = [.. _lans];
        }

        foreach (Lan lan in lans)
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
    }

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
    private void UpdateDns(IReadOnlyList<Lan> lans)
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
            foreach (Lan lan in lans.Where(l => served.Contains(l.Interface)))
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

    private void UpdateLan(Lan lan, KernelSnapshot? k, DateTimeOffset now)
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

        IReadOnlyList<IPAddress> dns = lan.ServesDns
            ? (routerAddress is null ? [] : [routerAddress])
            : record?.Lease?.DnsServers ?? [];
        // The router's address in a withdrawn /64 was the LAN's DNS server: revoke it while hosts may still hold it.
        IReadOnlyList<IPAddress> revoked = lan.ServesDns
            ? prefixes.Where(p => p.WithdrawnAt is not null && p.ValidLeft(now) > TimeSpan.Zero)
                .Select(p => PrefixMath.WithHost(new IPNetwork(p.Prefix, 64), lan.Host)).Where(a => !dns.Contains(a)).ToList()
            : [];
        LinkInfo? link = k?.Link(lan.Interface);
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
        var lans = new List<Lan>();
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
                var lan = new Lan(pd.Name, ds.Interface, ds.SubnetId, ds.EffectiveHost, mode)
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

    /// <summary>The file a LAN's DHCPv4 leases are kept in.</summary>
    public string Dhcp4LeaseFile(string iface) => Path.Combine(_options.StateDirectory, $"dhcp4-{iface}.leases");

    /// <summary>
    /// Opens the DHCPv4 server of each scope that hands out addresses: its lease journal, then its socket.
    /// A damaged journal leaves that LAN without DHCPv4 (status Failed, the file untouched for a person to
    /// mend) rather than handing its addresses out again; every other service starts.
    /// </summary>
    private void OpenDhcp4Servers(KernelSnapshot k, List<IDisposable> disposables)
    {
        foreach (DhcpScope scope in _effective.DhcpScopes)
        {
            if (Dhcp4Scopes.ToConfig(scope, _effective) is not { } config)
            {
                continue;
            }

            LinkInfo link = k.Link(scope.Interface) ?? throw new IpoeException(EngineErrorIds.InterfaceNotFound, ErrorKind.ObjectNotFound,
                $"The LAN interface {scope.Interface} (DHCP scope {scope.Name}) does not exist.", scope.Interface);
            LeaseJournal journal;
            try
            {
                journal = LeaseJournal.Open(Dhcp4LeaseFile(scope.Interface));
            }
            catch (LeaseJournalException e)
            {
                SetService($"dhcp4-server:{scope.Interface}", "Failed", e.Message);
                Log($"dhcp4-server:{scope.Interface}: {e.Message}; not serving DHCPv4 on {scope.Interface} until the file is mended (nothing was changed in it)");
                continue;
            }

            disposables.Add(journal); // after the host below: disposables are disposed in order, the socket first
            NetlinkSocket neighborSocket = _options.Namespace.OpenSocket();
            disposables.Add(neighborSocket);
            var neighbors = new NeighborOps(neighborSocket);
            var server = new ScopeServer(config, journal.Table);
            Dhcp4ServerHost host = _options.Namespace.Run(() => Dhcp4ServerHost.Open(link.Name, server, journal, (address, mac) =>
            {
                lock (neighborSocket)
                {
                    neighbors.Replace(link.Index, address, mac.Span);
                }
            }, Log));
            disposables.Insert(disposables.IndexOf(journal), host);
            if (_leaseNames is { } names && DnsForwarding.ServedInterfaces(_effective).Contains(scope.Interface))
            {
                names.Load(host.Leases(), _options.Time.GetUtcNow());
                host.LeasesChanged = names.Apply;
            }

            Log($"dhcp4-server:{scope.Interface}: serving {config.Pool?.ToString() ?? "reservations only"} from {config.ServerAddress}, {journal.Table.All.Count} lease(s) read from {journal.Path}");
            lock (_gate)
            {
                _dhcp4.Add(host);
            }
        }
    }

    /// <summary>
    /// Hears the RDNSS options of the RAs the WAN interfaces receive (the kernel passes them up) and
    /// re-plans when the servers they name change; blocks its thread, waking every second to see the stop.
    /// </summary>
    private void ListenForRdnss(NdUserOptionListener listener, CancellationToken stop)
    {
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
                    _dirty.Release();
                }
            }
        }
    }

    /// <summary>
    /// Every 10 s, gives the DHCPv4 clients' names the IPv6 addresses their MACs hold in the served LANs'
    /// current /64s, as the neighbour table shows them (AAAA where known: SLAAC leaves no lease to read).
    /// </summary>
    private async Task RefreshIPv6NamesAsync(NeighborOps neighbors, CancellationToken stop)
    {
        using var every = new PeriodicTimer(TimeSpan.FromSeconds(10), _options.Time);
        string? lastError = null;
        do
        {
            IReadOnlySet<string> served = DnsForwarding.ServedInterfaces(_effective);
            List<(int Index, IPNetwork Prefix)> current;
            lock (_gate)
            {
                current = _lans.Where(l => served.Contains(l.Interface) && l.RouterAddress is not null && _lastObserved?.Link(l.Interface) is not null)
                    .Select(l => (_lastObserved!.Link(l.Interface)!.Index, new IPNetwork(l.Prefixes.First(p => p.WithdrawnAt is null).Prefix, 64))).ToList();
            }

            IReadOnlyList<NeighborInfo> entries;
            try
            {
                entries = neighbors.Dump(AddressFamily.InterNetworkV6);
                lastError = null;
            }
            catch (Exception e) when (Applier.IsKernelFailure(e))
            {
                if (lastError != e.Message)
                {
                    Log($"dns: cannot read the neighbour table ({e.Message}); AAAA records stay as they were");
                }

                lastError = e.Message;
                continue;
            }

            // A host's current addresses: confirmed lately (privacy addresses it dropped linger as STALE
            // entries for as long as the table is small), at most 8 per host, the freshest first.
            _leaseNames!.SetIPv6FromNeighbors(entries
                .Where(n => n.IsResolved && current.Any(c => c.Index == n.Index && c.Prefix.Contains(n.Address))
                    && ((n.State & NudStale) == 0 || n.ConfirmedAgo is { } ago && ago < StaleNeighborLimit))
                .GroupBy(n => Convert.ToHexString(n.HardwareAddress), StringComparer.Ordinal)
                .SelectMany(host => host.OrderBy(n => n.ConfirmedAgo ?? TimeSpan.MaxValue).Take(8))
                .Select(n => (n.Address, n.HardwareAddress)));
        }
        while (await every.WaitForNextTickAsync(stop).ConfigureAwait(false));
    }

    private const ushort NudStale = 0x04;

    /// <summary>How long after its last confirmation a STALE neighbour entry still counts as the host's address.</summary>
    private static readonly TimeSpan StaleNeighborLimit = TimeSpan.FromMinutes(15);

    /// <summary>The file a WAN interface's DHCPv4 lease is kept in.</summary>
    public string Wan4LeaseFile(string iface) => Path.Combine(_options.StateDirectory, $"dhcp4-client-{iface}.json");

    private IEnumerable<Interface> Wan4Interfaces() => _effective.Interfaces.Where(i => i.Dhcp4 == true);

    private Wan4Lease? CurrentWan4Lease(string iface)
    {
        lock (_gate)
        {
            return _wan4.GetValueOrDefault(iface);
        }
    }

    private Wan4Lease? LoadWan4Lease(string iface)
    {
        string file = Wan4LeaseFile(iface);
        if (!File.Exists(file))
        {
            return null;
        }

        try
        {
            // Kept even when it ran out: the client asks for the same address again (INIT-REBOOT only while it is valid).
            return Services.Dhcp4Client.Dhcp4ClientLeaseFile.Deserialize(File.ReadAllBytes(file), file);
        }
        catch (Services.Dhcp4Client.Dhcp4LeaseFileException e)
        {
            string aside = file + ".unreadable";
            File.Move(file, aside, overwrite: true);
            Log($"dhcp4-client:{iface}: {e.Message}; moved it to {aside} and starting without a saved lease");
            return null;
        }
    }

    /// <summary>A fresh DHCPv4 client for a WAN interface (also when a failed one is restarted: it confirms the lease it held).</summary>
    private Services.Dhcp4Client.Dhcp4ClientHost NewWan4Host(string iface, byte[] mac, Services.Dhcp4Client.UdpDhcp4ClientTransport transport)
    {
        var client = new Wan4Client(new Services.Dhcp4Client.Dhcp4ClientConfig(new ByteString(mac)), Random.Shared.NextDouble,
            () => (uint)Random.Shared.NextInt64(uint.MaxValue + 1L)); // RFC 2131 §4.4.1: a random xid
        lock (_gate)
        {
            _wan4Clients[iface] = client;
        }

        return new Services.Dhcp4Client.Dhcp4ClientHost(client, transport, _options.Time, changed => OnWan4LeaseChanged(iface, changed), line => Log($"dhcp4-client:{iface}: {line}"))
        {
            ReleaseOnStop = _options.ReleaseOnStop,
        };
    }

    /// <summary>
    /// A WAN DHCPv4 lease changed: kept (file), then applied before the client goes on — the address
    /// with the lease's time as its lifetimes (RENEWING unicasts from it), the DNS servers to the forwarder.
    /// </summary>
    private async ValueTask OnWan4LeaseChanged(string iface, Services.Dhcp4Client.Dhcp4LeaseChanged changed)
    {
        lock (_gate)
        {
            _wan4[iface] = changed.Lease;
        }

        string file = Wan4LeaseFile(iface);
        try
        {
            if (changed.Lease is { } lease)
            {
                AtomicFile.Write(file, Services.Dhcp4Client.Dhcp4ClientLeaseFile.Serialize(lease));
            }
            else
            {
                File.Delete(file);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log($"dhcp4-client:{iface}: the lease could not be saved to {file} ({e.Message}); it is in use but would not survive a restart");
        }

        Wan4Lease? l = changed.Lease;
        Log(l is null
            ? $"dhcp4-client:{iface}: no lease ({changed.Reason}){(changed.Previous is { } p ? $"; {p.Address}/{p.PrefixLength} goes" : string.Empty)}"
            : $"dhcp4-client:{iface}: {changed.Reason}: {l.Address}/{l.PrefixLength} from {l.ServerId}, lease {Seconds(l.LeaseTime)} s, renew in {Seconds(l.T1)} s, DNS {(l.DnsServers.Count == 0 ? "none" : string.Join(", ", l.DnsServers))}");
        await ReconcileNowAsync(iface).ConfigureAwait(false);
    }

    /// <summary>Asks the reconcile loop for a pass and waits until one that started after the ask has finished (at most 10 s; not while stopping).</summary>
    private async Task ReconcileNowAsync(string who)
    {
        if (_stopping)
        {
            return;
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_stopping)
            {
                return; // the last pass on the way out applies it
            }

            _reconcileWaiters.Add(done);
        }

        _dirty.Release();
        try
        {
            await done.Task.WaitAsync(TimeSpan.FromSeconds(10), _options.Time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log($"{who}: the kernel was not updated within 10 s (reconcile: {_reconcile.Outcome}); going on");
        }
    }

    /// <summary>From now on nobody waits for a reconcile pass (the loop is ending); those waiting are let go.</summary>
    private void StopReconcileWaiters()
    {
        List<TaskCompletionSource> waiting;
        lock (_gate)
        {
            _stopping = true;
            waiting = [.. _reconcileWaiters];
            _reconcileWaiters.Clear();
        }

        waiting.ForEach(w => w.TrySetResult());
    }

    private UdpDhcp6ClientTransport OpenPdTransport(PrefixDelegation pd, KernelSnapshot k, List<IDisposable> disposables)
    {
        LinkInfo wan = k.Link(pd.Interface) ?? throw new IpoeException(EngineErrorIds.InterfaceNotFound, ErrorKind.ObjectNotFound,
            $"The WAN interface {pd.Interface} of delegation {pd.Name} does not exist.", pd.Interface);
        UdpDhcp6ClientTransport transport = _options.Namespace.Run(() => UdpDhcp6ClientTransport.Open(wan.Name, wan.Index));
        disposables.Add(transport);
        lock (_gate)
        {
            _records[pd.Name] ??= new PdClientRecord(NewDuid(pd, wan), null);
        }

        if (pd.Duid is DuidType.En)
        {
            Log($"pd:{pd.Name}: DUID-EN needs an enterprise number the document cannot give yet; using DUID-LL");
        }

        return transport;
    }

    /// <summary>A fresh client and host for <paramref name="pd"/> (also when a failed one is restarted: it Rebinds the lease it held).</summary>
    private PdClientHost NewPdHost(PrefixDelegation pd, UdpDhcp6ClientTransport transport)
    {
        Duid clientId;
        lock (_gate)
        {
            clientId = _records[pd.Name]!.ClientId;
        }

        var client = new PdClient(new PdClientConfig(clientId, StableIaid(pd.Name), (byte)(pd.PrefixLength ?? 0)), Random.Shared.NextDouble,
            () => Random.Shared.Next(0x1000000)); // RFC 8415 §16.1: transaction ids a third party cannot predict
        lock (_gate)
        {
            _clients[pd.Name] = client;
        }

        return new PdClientHost(client, transport, _options.Time, changed => OnLeaseChanged(pd, changed), line => Log($"pd:{pd.Name}: {line}"))
        {
            ReleaseOnStop = _options.ReleaseOnStop,
        };
    }

    /// <summary>
    /// The IA_PD's IAID: FNV-1a of the delegation's name, so it stays the same across restarts and
    /// edits of other delegations (RFC 8415 §12: an IAID must be consistent), without being stored.
    /// </summary>
    public static uint StableIaid(string delegation)
    {
        uint hash = 2166136261;
        foreach (byte b in System.Text.Encoding.UTF8.GetBytes(delegation))
        {
            hash = (hash ^ b) * 16777619;
        }

        return hash;
    }

    private ValueTask OnLeaseChanged(PrefixDelegation pd, PdLeaseChanged changed)
    {
        PdClientRecord record;
        PdLease? previous;
        lock (_gate)
        {
            previous = _records[pd.Name]?.Lease;
            record = (_records[pd.Name] ?? throw new InvalidOperationException("a lease for a client never opened")) with { Lease = changed.Lease };
            _records[pd.Name] = record;
            if (changed.Lease is null || changed.Lease.Prefixes.Count == 0)
            {
                _lost.Add(pd.Name);
            }
            else
            {
                _lost.Remove(pd.Name);
            }
        }

        try
        {
            AtomicFile.Write(LeaseFile(pd.Name), PdLeaseFile.Serialize(record));
        }
        catch (IOException e)
        {
            Log($"pd:{pd.Name}: the lease could not be saved to {LeaseFile(pd.Name)} ({e.Message}); it is in use but would not survive a restart");
        }
        catch (UnauthorizedAccessException e)
        {
            Log($"pd:{pd.Name}: the lease could not be saved to {LeaseFile(pd.Name)} ({e.Message}); it is in use but would not survive a restart");
        }

        bool renewed = changed.Withdrawn.Count == 0 && changed.Lease is not null && previous is not null
            && previous.Prefixes.Select(p => p.ToString()).SequenceEqual(changed.Lease.Prefixes.Select(p => p.ToString()));
        string now = changed.Lease is null ? "no prefix" : string.Join(", ", changed.Lease.Prefixes.Select(p => $"{p} (preferred {Seconds(p.Preferred)} s, valid {Seconds(p.Valid)} s)"));
        string gone = changed.Withdrawn.Count == 0 ? string.Empty : "; withdrawn: " + string.Join(", ", changed.Withdrawn);
        Log($"pd:{pd.Name}: {(renewed ? "kept" : "delegated")} {now}{gone}");
        _dirty.Release();
        return ValueTask.CompletedTask;
    }

    private static string Seconds(TimeSpan t) => t == TimeSpan.MaxValue ? "infinite" : ((long)t.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private Duid NewDuid(PrefixDelegation pd, LinkInfo wan)
    {
        var mac = new ByteString(wan.HardwareAddressBytes());
        return pd.Duid is DuidType.Llt
            ? new DuidLlt(DuidLl.Ethernet, (uint)(_options.Time.GetUtcNow() - new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero)).TotalSeconds, mac)
            : new DuidLl(DuidLl.Ethernet, mac);
    }

    private PdClientRecord? LoadRecord(PrefixDelegation pd)
    {
        string file = LeaseFile(pd.Name);
        if (!File.Exists(file))
        {
            return null;
        }

        try
        {
            PdClientRecord record = PdLeaseFile.Deserialize(File.ReadAllBytes(file), file);
            if (record.Lease is { } lease && lease.ValidUntil <= _options.Time.GetUtcNow())
            {
                // Kept: the client reports it gone (so what was made from it is removed) and asks for it again as a hint.
                Log($"pd:{pd.Name}: the saved lease ({string.Join(", ", lease.Prefixes)}) expired at {lease.ValidUntil:u}; soliciting anew with the same DUID");
            }

            return record;
        }
        catch (PdLeaseFileException e)
        {
            // Keep the unreadable file for a person to look at; start without it rather than not at all.
            string aside = file + ".unreadable";
            File.Move(file, aside, overwrite: true);
            Log($"pd:{pd.Name}: {e.Message}; moved it to {aside} and starting without a saved lease");
            return null;
        }
    }

    private void WaitForLinkLocal(AddressOps addresses, LinkInfo link)
    {
        try
        {
            addresses.WaitForLinkLocal(link.Index, link.Name, _options.LinkLocalWait);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or IOException)
        {
            Log($"{link.Name}: {e.Message}; starting its services anyway (they retry)");
        }
    }

    /// <summary>
    /// Runs a service until <paramref name="token"/> ends; one that fails is reported (status and log)
    /// and started again after 1, 2, 4 … 60 s, so a transient fault does not leave it dead for good.
    /// </summary>
    private Task Supervise(string name, Func<Task> run, CancellationToken token) => Task.Run(async () =>
    {
        TimeSpan backoff = TimeSpan.FromSeconds(1);
        while (true)
        {
            SetService(name, "Running", null);
            try
            {
                await run().ConfigureAwait(false);
                SetService(name, "Stopped", null);
                return;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                SetService(name, "Stopped", null);
                return;
            }
            catch (Exception e)
            {
                // One failed service must not take the others down; it shows in the status and the log.
                SetService(name, "Failed", e.Message);
                Log($"{name}: failed, restarting in {backoff.TotalSeconds:0} s: {e}");
            }

            try
            {
                await Task.Delay(backoff, _options.Time, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = backoff * 2 > TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : backoff * 2;
        }
    }, CancellationToken.None);

    private void SetService(string name, string state, string? error)
    {
        lock (_gate)
        {
            _services[name] = new ServiceStatus(name, state, error);
        }
    }

    private void Log(string line) => _options.Log(line);

    /// <summary>One LAN served from a delegation: its /64 by subnet id and its services.</summary>
    private sealed class Lan(string delegation, string iface, int subnetId, IPAddress host, Ipv6Mode mode)
    {
        public string Delegation { get; } = delegation;

        public string Interface { get; } = iface;

        public int SubnetId { get; } = subnetId;

        public IPAddress Host { get; } = host;

        public Ipv6Mode Mode { get; } = mode;

        public bool ServesDns { get; init; }

        public IReadOnlyList<string> SearchList { get; init; } = [];

        public Duid ServerId { get; init; } = null!;

        public RaSenderHost Ra { get; set; } = null!;

        public InfoServerHost? Info { get; set; }

        public IReadOnlyList<AnnouncedPrefix> Prefixes { get; set; } = [];

        /// <summary>The router's address in the current /64, null while there is none.</summary>
        public IPAddress? RouterAddress { get; set; }

        public int Sent;

        public string? LastLogged;
    }
}
