using System.Globalization;
using System.Runtime.InteropServices;
using IpoeRouter.Agent.Control;
using IpoeRouter.Agent.Hosting;
using IpoeRouter.Agent.Systemd;
using IpoeRouter.Engine.Diagnostics;
using IpoeRouter.Engine.Kernel;
using IpoeRouter.Engine.Runtime;
using IpoeRouter.Linux.Rtnl;
using IpoeRouter.Control;
using IpoeRouter.Engine;
using IpoeRouter.Engine.Documents;
using IpoeRouter.Engine.Loop;
using IpoeRouter.Model;

namespace IpoeRouter.Agent;

/// <summary>
/// <c>ipoe-agent</c>: reads the document, runs the router (<see cref="RouterHost"/>) in the
/// foreground, follows its document (a valid new version is taken, SIGHUP reads it again), serves the
/// control socket, and stops cleanly on SIGTERM or SIGINT (final RAs; the delegation is kept for the
/// next start unless <c>--release</c>). Exit codes: 0 stopped, 1 the
/// document or the machine refused, 2 bad command line, 3 a port held by another program.
/// </summary>
internal static class Program
{
    private const string Usage = """
        usage: ipoe-agent [--document <path>] [--state-dir <dir>] [--control-socket <path>] [--release] [--ra-interval <seconds>] [--resync-interval <seconds>] [--tunnel-probe-interval <seconds>]
          --document        the router document (default: $IPOE_DOCUMENT, else /etc/ipoe/router.yaml)
          --state-dir       where leases and DUIDs are kept (default: $IPOE_STATE_DIR, else /var/lib/ipoe)
          --control-socket  the JSON-RPC socket for Get-IpoeStatus (default: $IPOE_RUN_DIR/agent.sock, else /run/ipoe/agent.sock)
          --release         release the delegations on stop (default: keep them, so a restart keeps the prefix)
          --ra-interval     MaxRtrAdvInterval in seconds, 4-1800 (default 600)
          --resync-interval a pass every so many seconds for what has no events (sysctl), 1-86400 (default 60)
          --tunnel-probe-interval  how often a tunnel that is up is probed, 1-3600 (default 30; a down one every 5 s, or as often)
        """;

    private static readonly AgentLog s_log = AgentLog.ToStandardError();

    public static async Task<int> Main(string[] args)
    {
        string? document = null, stateDir = null, controlSocket = null;
        bool release = false;
        TimeSpan? raInterval = null, resync = null, probe = null;
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            try
            {
                switch (args[i])
                {
                    case "--document": document = Value(); break;
                    case "--state-dir": stateDir = Value(); break;
                    case "--control-socket": controlSocket = Value(); break;
                    case "--release": release = true; break;
                    case "--ra-interval":
                        int max = int.Parse(Value(), CultureInfo.InvariantCulture);
                        if (max is < 4 or > 1800)
                        {
                            throw new ArgumentException("--ra-interval must be 4 … 1800 seconds (RFC 4861 §6.2.1)");
                        }

                        raInterval = TimeSpan.FromSeconds(max);
                        break;
                    case "--resync-interval":
                        int every = int.Parse(Value(), CultureInfo.InvariantCulture);
                        if (every is < 1 or > 86400)
                        {
                            throw new ArgumentException("--resync-interval must be 1 … 86400 seconds");
                        }

                        resync = TimeSpan.FromSeconds(every);
                        break;
                    case "--tunnel-probe-interval":
                        int seconds = int.Parse(Value(), CultureInfo.InvariantCulture);
                        probe = seconds is >= 1 and <= 3600 ? TimeSpan.FromSeconds(seconds) : throw new ArgumentException("--tunnel-probe-interval must be 1 … 3600 seconds");
                        break;
                    case "--help" or "-h":
                        Console.Out.WriteLine(Usage);
                        return 0;
                    default: throw new ArgumentException($"unknown argument {args[i]}");
                }
            }
            catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
            {
                Console.Error.WriteLine($"ipoe-agent: {e.Message}");
                Console.Error.WriteLine(Usage);
                return 2;
            }
        }

        string documentPath = DocumentStore.ResolvePath(document);
        string runDirectory = AgentClient.RunDirectory();
        AgentOptions options = new AgentOptions(documentPath, stateDir ?? AgentOptions.StateDirectoryFromEnvironment(), runDirectory)
        {
            Log = Log,
            ReleaseOnStop = release,
            RaMaxInterval = raInterval,
            ResyncInterval = resync ?? TimeSpan.FromSeconds(60),
            TunnelProbeInterval = probe ?? Engine.Tunnels.TunnelHealth.DefaultUpInterval,
        };
        using SdNotify? systemd = SdNotify.FromEnvironment();
        bool ready = false, reloading = false;
        void Notified(bool sent)
        {
            if (!sent && systemd?.LastError is { } error)
            {
                s_log.Warning($"agent: telling systemd failed ({error.Message})");
            }
        }

        options = options with
        {
            // The loop says it is alive (systemd's watchdog) each time it wakes, at least every half watchdog interval: a hung pass stops it.
            HeartbeatInterval = systemd?.WatchdogInterval / 2,
            Alive = systemd is null ? null : () => Notified(systemd.Watchdog()),
            PassStatus = line =>
            {
                if (systemd is null)
                {
                    return;
                }

                // READY after the first pass (and after a reload's pass); a status line after every pass.
                bool announce = !Volatile.Read(ref ready) || Volatile.Read(ref reloading);
                Notified(announce ? systemd.Ready(line) : systemd.Status(line));
                Volatile.Write(ref ready, true);
                Volatile.Write(ref reloading, false);
            },
        };
        using var stop = new CancellationTokenSource();
        RouterHost? current = null;
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            Log($"agent: {context.Signal}: stopping");
            Notified(systemd?.Stopping() ?? true);
            stop.Cancel();
        }

        void OnHangUp(PosixSignalContext context)
        {
            context.Cancel = true;
            Log("agent: SIGHUP: reading the document again");
            Volatile.Write(ref reloading, true);
            Notified(systemd?.Reloading() ?? true);
            Volatile.Read(ref current)?.Post(new Cause(CauseKind.Document, "SIGHUP", options.Time.GetUtcNow()));
        }

        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnHangUp);

        string socketPath = controlSocket ?? AgentClient.PathFromEnvironment();
        Log($"agent: pid {Environment.ProcessId}, document {options.DocumentPath}, state {options.StateDirectory}, control {socketPath}");
        int code;
        Task control = Task.CompletedTask;
        AgentRegistration? registration = null;
        try
        {
            DocumentSnapshot initial = DocumentStore.Load(options.DocumentPath);
            foreach (var warning in initial.Loaded.Warnings)
            {
                Log($"document: warning {warning}");
            }

            ReportConflicts(initial.Loaded.Effective, options.Namespace);
            Services.Storage.PrivateState.EnsureDirectory(options.StateDirectory); // leases, DUIDs: 0700, files 0600
            using FileStream stateLock = StateDirectoryLock.Take(options.StateDirectory);
            var follower = new DocumentFollower(initial, options.Time);
            var held = new HeldApplies(runDirectory, options.Time)
            {
                Expired = () => Volatile.Read(ref current)?.Post(new Cause(CauseKind.Confirmation, "an apply on probation reached its deadline", options.Time.GetUtcNow())),
            };
            foreach (HeldApply waiting in HeldApply.LoadAll(runDirectory, Log))
            {
                // The agent stopped while an apply was on probation: nobody confirmed it, so the first pass goes back.
                Log($"confirm: apply {waiting.Id} waited for confirmation when the agent stopped; the first pass goes back to the version before it");
                held.Arm(waiting with { Deadline = options.Time.GetUtcNow() });
            }

            string identity = options.Namespace.Identity();
            var handlers = new ControlHandlers(() => Volatile.Read(ref current));
            control = Task.Run(() => ControlServer.ServeAsync(socketPath, handlers, Log, stop.Token));
            _ = control.ContinueWith(t => Log($"agent: the control socket {socketPath} failed, the cmdlets cannot reach this agent: {t.Exception?.GetBaseException().Message}"),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            registration = new AgentRegistration(Environment.ProcessId, Path.GetFullPath(socketPath), identity, options.DocumentPath);
            AgentRegistry.Register(registration);
            var supervisor = new ServiceSupervisor(options.Time, Log);
            using var b4s = new DsLite.B4Carrier(options.Namespace, Log); // outlives a restart for a new document: IPv4 keeps flowing
            while (true)
            {
                var host = new RouterHost(options, follower, supervisor, held, b4s) { NamespaceIdentity = identity };
                Volatile.Write(ref current, host);
                if (await host.RunAsync(stop.Token) == HostExit.Stopped)
                {
                    break;
                }

                Volatile.Write(ref current, null);
                Log("agent: starting the services again for the new document");
            }

            code = 0;
        }
        catch (IpoeException e)
        {
            s_log.Error($"agent: {e.Message}");
            code = e.ErrorId == EngineErrorIds.PortInUse ? 3 : 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
        {
            s_log.Error($"agent: {e.Message}");
            code = 1;
        }
        catch (Exception e)
        {
            // Whatever it was, the agent ends cleanly: the control socket removed, the exit code telling.
            s_log.Error($"agent: stopped by an unexpected error: {e}");
            code = 1;
        }

        if (code != 0)
        {
            Notified(systemd?.Status($"stopped: exit code {code}") ?? true);
        }

        await stop.CancelAsync();
        if (registration is not null)
        {
            AgentRegistry.Unregister(registration);
        }

        try
        {
            await control;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException)
        {
            // already logged when it happened
        }

        Log($"agent: stopped ({code})");
        return code;
    }

    private static void Log(string line) => s_log.Info(line);

    /// <summary>
    /// Names what would fight the router before any socket is opened: programs holding the ports its
    /// services need (dnsmasq, systemd-resolved's stub, wide-dhcpv6-client, isc-dhcp-server, kea …) and
    /// systemd-networkd managing its links, each with holder, pid and remedy. A port that is needed and
    /// held then stops the agent when its socket is opened (exit code 3, naming the holder again).
    /// </summary>
    private static void ReportConflicts(RouterDocument document, Linux.Netlink.NetworkNamespace ns)
    {
        try
        {
            IReadOnlyList<LinkInfo> live;
            using (var kernel = new NetlinkKernel(ns))
            {
                live = kernel.Observe([]).Links;
            }

            var links = document.Interfaces.Select(i => new RouterLink(i.Name, live.FirstOrDefault(l => l.Name == i.Name)?.Index ?? 0)).ToList();
            IReadOnlyList<ServicePort> needed = DocumentPorts.NeededBy(document);
            foreach (ConflictFinding finding in ConflictProbe.Scan(links, needed, ns))
            {
                if (finding.Severity == ConflictSeverity.Fail)
                {
                    s_log.Error($"conflict: {finding}");
                }
                else
                {
                    s_log.Warning($"conflict: {finding}");
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            s_log.Warning($"conflict: could not look for programs in the router's way ({e.Message})");
        }
    }
}
