using System.Net;
using IpoeRouter.Control;
using IpoeRouter.Engine;
using IpoeRouter.Engine.Documents;
using IpoeRouter.Engine.Runtime;
using IpoeRouter.Engine.Kernel;
using IpoeRouter.Engine.Loop;
using IpoeRouter.Agent.Causes;
using IpoeRouter.Engine.Planning;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Linux.Rtnl;
using IpoeRouter.Model;
using IpoeRouter.Protocols.Wire;
using IpoeRouter.Services.Dhcp4Server;
using IpoeRouter.Services.DnsForwarder;
using IpoeRouter.Services.Dhcp6PdClient;
using Wan4Client = IpoeRouter.Services.Dhcp4Client.Dhcp4Client;
using Wan4Lease = IpoeRouter.Services.Dhcp4Client.Dhcp4Lease;

namespace IpoeRouter.Agent.Hosting;

/// <summary>
/// The router at run time, for one document's set of services: opens every socket first, converges
/// the kernel, hosts the embedded services that produce the facts the document binds to (a DHCPv6-PD
/// client per delegation, the WAN DHCPv4 client, and on the LANs the RAs, stateless DHCPv6, DHCPv4 and
/// the DNS forwarder), and runs the one reconcile loop: every cause (kernel events, the document
/// replaced, a lease, a cmdlet, the resync) gives a pass. A new document that changes only what the
/// reconciler applies is taken in place; one that changes the services ends this run with
/// <see cref="HostExit.Restart"/>, and the agent starts the services again for it (leases kept).
/// </summary>
internal sealed partial class RouterHost : IpoeRouter.Agent.Control.IRouterControl
{
    private readonly AgentOptions _options;
    private readonly DocumentFollower _document;
    private readonly ServiceSupervisor _supervisor;
    private readonly object _gate = new();
    private readonly Dictionary<string, PdClientRecord?> _records = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PdClient> _clients = new(StringComparer.Ordinal);
    private readonly List<LanService> _lans = [];
    private readonly List<Dhcp4ServerHost> _dhcp4 = [];
    private readonly Dictionary<string, Wan4Lease?> _wan4 = new(StringComparer.Ordinal); // WAN interface → its DHCPv4 lease
    private readonly Dictionary<string, Wan4Client> _wan4Clients = new(StringComparer.Ordinal);
    private readonly RdnssTable _rdnss = new();
    private readonly HashSet<string> _lost = new(StringComparer.Ordinal); // delegations whose prefix this run saw go
    private DnsForwarderHost? _dns;
    private LeaseNames? _leaseNames;
    private LocalNames? _localNames;
    private string? _dnsDomain;
    private IReadOnlyList<IPAddress> _dnsUpstreams = [];
    private string? _dnsListenError;
    private RouterDocument _effective;
    private KernelSnapshot? _lastObserved;
    private IKernel? _kernel; // the real one with the agent's user-space B4s (B4Kernel)
    private readonly DsLite.B4Carrier _b4s;
    private Reconciler? _reconciler;
    private ReconcileLoop? _loop;
    private ReconcileStatus _reconcile = new(null, "NotRun", [], null);
    private volatile bool _stopping;

    /// <summary>Creates the host for the follower's running document; nothing happens until <see cref="RunAsync"/>.</summary>
    public RouterHost(AgentOptions options, DocumentFollower document, ServiceSupervisor supervisor, HeldApplies held, DsLite.B4Carrier b4s)
    {
        _options = options;
        _b4s = b4s;
        _document = document;
        _supervisor = supervisor;
        _held = held;
        _effective = document.Running.Loaded.Effective;
    }

    /// <summary>
    /// Runs until <paramref name="stop"/> is cancelled (<see cref="HostExit.Stopped"/>) or a new document
    /// changes the services (<see cref="HostExit.Restart"/>). Throws before anything is applied when a
    /// service's port is held by another program (<see cref="EngineErrorIds.PortInUse"/>, naming it) or
    /// an interface the document names does not exist: every socket is opened before the first pass.
    /// </summary>
    public async Task<HostExit> RunAsync(CancellationToken stop)
    {
        _supervisor.Clear();
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
        _kernel = new DsLite.B4Kernel(kernel, _b4s);
        _reconciler = new Reconciler(_kernel);
        Observe();
        KernelSnapshot k = _lastObserved ?? throw new IOException("the kernel's links could not be read");

        var disposables = new List<IDisposable>();
        var lanTasks = new List<Task>();
        var pdTasks = new List<Task>();
        using var lanStop = new CancellationTokenSource(); // not linked: the LAN services outlive the PD clients on the way out
        using var pdStop = CancellationTokenSource.CreateLinkedTokenSource(stop);
        using var loopStop = CancellationTokenSource.CreateLinkedTokenSource(stop);
        _restart = loopStop;
        try
        {
            Sockets sockets = OpenSockets(k, disposables);
            _loop = new ReconcileLoop(_options.Time, Pass, new ReconcileLoopOptions
            {
                SettleWindow = _options.SettleWindow,
                ResyncInterval = _options.ResyncInterval,
                HeartbeatInterval = _options.HeartbeatInterval,
            })
            {
                Alive = _options.Alive,
                Passed = OnPassed,
                Faulted = e => Log($"reconcile: a pass failed unexpectedly: {e}"),
            };

            // Listening before the first pass: what changes from now on is a cause the loop takes once it runs.
            disposables.Add(KernelCauses.Start(_options.Namespace, _loop, _options.Time, _options.Log));
            disposables.Add(DocumentWatcher.Start(_document.Path, _loop, _options.Time, _options.Log));

            // The first pass before the services: links up, sysctl, fixed addresses, and the LAN /64s of saved leases still valid.
            PassOutcome first = Pass([new Cause(CauseKind.Start, "the agent started", _options.Time.GetUtcNow())]);
            Log($"reconcile: first pass {first.Name}");

            // Sending needs a link-local source address past DAD on each interface a service sends from.
            var addresses = new AddressOps(socket);
            foreach (string name in _lans.Select(l => l.Interface).Concat(_effective.PrefixDelegations.Select(pd => pd.Interface)).Distinct())
            {
                if (_lastObserved?.Link(name) is { } link)
                {
                    _options.Alive?.Invoke(); // each wait is bounded (10 s): the watchdog hears from us between them
                    WaitForLinkLocal(addresses, link);
                }
            }

            UpdateLans();
            StartServices(k, sockets, disposables, lanTasks, pdTasks, lanStop.Token, pdStop.Token);
            await _loop.RunAsync(new Cause(CauseKind.Start, "services started", _options.Time.GetUtcNow()), loopStop.Token).ConfigureAwait(false);

            // A graceful stop: the PD and WAN DHCPv4 clients first (a Release, when asked for, withdraws the
            // prefix and the address), then one last pass so the addresses and final RA tell the truth, then
            // the LAN services.
            _stopping = true;
            if (!stop.IsCancellationRequested)
            {
                // Starting again for a new document, not stopping: the LAN's hosts keep this router meanwhile.
                _lans.ForEach(l => l.Ra.FinalOnStop = false);
            }

            await pdStop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(pdTasks).ConfigureAwait(false);
            if (_options.ReleaseOnStop && stop.IsCancellationRequested)
            {
                Pass([new Cause(CauseKind.Lease, "released on stop", _options.Time.GetUtcNow())]);
                UpdateLans();
            }
        }
        finally
        {
            _stopping = true;
            await pdStop.CancelAsync().ConfigureAwait(false);
            await lanStop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(pdTasks.Concat(lanTasks)).ConfigureAwait(false);
            foreach (IDisposable d in disposables)
            {
                d.Dispose();
            }
        }

        return stop.IsCancellationRequested ? HostExit.Stopped : HostExit.Restart;
    }

    private static string Seconds(TimeSpan t) => t == TimeSpan.MaxValue ? "infinite" : ((long)t.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);

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

    private void Log(string line) => _options.Log(line);
}

/// <summary>How a host's run ended.</summary>
internal enum HostExit
{
    /// <summary>Stopped (SIGTERM, SIGINT).</summary>
    Stopped,

    /// <summary>A new document changed the services: start them again for it.</summary>
    Restart,
}
