using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using IpoeRouter.Engine.Runtime;
using IpoeRouter.Lab;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Protocols.Icmp6;

namespace IpoeRouter.Agent.Tests;

/// <summary>
/// The issue's three-namespace lab: <c>hgw</c> (radvd sending what an NTT HGW sends — O flag, router
/// lifetime 5400 s, prefix valid 14400 / preferred 12600 — and kea-dhcp6 delegating /60s out of
/// 2001:db8:1200::/48), <c>rtr</c> (the published ipoe-agent, started as a process), and <c>lan</c>
/// (real clients: rdisc6, dhcpcd). hgw0—wan0 and lan0—eth0 are veth pairs. Everything (namespaces,
/// radvd, kea, the agent) is removed on dispose, processes by their pid; the test's files live in a
/// temporary directory.
/// </summary>
public sealed class RouterLab : IDisposable
{
    /// <summary>The router's document: lab/router.yaml, the one the README's lab runs.</summary>
    public static string Document => File.ReadAllText(Path.Combine(HgwServers.LabDirectory, "router.yaml"));

    private readonly string _id = $"ipoe-l-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
    private readonly List<Process> _processes = [];
    private readonly StringBuilder _agentLog = new();
    private readonly StringBuilder _hgwDnsLog = new();
    private HgwDhcp4Servers? _hgw4;
    private readonly HgwServers _hgw;
    private Process? _agent;

    public RouterLab(int renew = 7200, int rebind = 11520, int preferred = 12600, int valid = 14400, string? hgwRdnss = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("ipoe-lab-").FullName;
        _hgw = new HgwServers(Hgw, Directory);
        try
        {
            foreach (string n in new[] { Hgw, Rtr, Lan })
            {
                NetnsFixture.Ip($"netns add {n}");
                NetnsFixture.Ip($"-n {n} link set lo up");
            }

            NetnsFixture.Ip($"-n {Rtr} link add wan0 type veth peer name hgw0 netns {Hgw}");
            NetnsFixture.Ip($"-n {Rtr} link add lan0 type veth peer name eth0 netns {Lan}");
            Sysctl(Hgw, "net/ipv6/conf/hgw0/accept_dad", "0"); // lab infrastructure: the HGW's end need not wait for DAD
            Sysctl(Hgw, "net/ipv6/conf/all/forwarding", "1");
            NetnsFixture.Ip($"-n {Hgw} addr add 2001:db8:ff::1/64 dev hgw0 nodad");
            NetnsFixture.Ip($"-n {Hgw} link set hgw0 up");
            NetnsFixture.Ip($"-n {Rtr} link set wan0 up");
            NetnsFixture.Ip($"-n {Rtr} link set lan0 up");
            NetnsFixture.Ip($"-n {Lan} link set eth0 up");
            File.WriteAllText(Path.Combine(Directory, "router.yaml"), Document);
            _hgw.StartRadvd(hgwRdnss);
            _hgw.StartKea(new KeaSettings(renew, rebind, preferred, valid));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Directory { get; }

    public string Hgw => _id + "-hgw";

    public string Rtr => _id + "-rtr";

    public string Lan => _id + "-lan";

    public string ControlSocketPath => Path.Combine(Directory, "run", "agent.sock");

    public string StateDirectory => Path.Combine(Directory, "state");

    public int? AgentPid => _agent is { HasExited: false } a ? a.Id : null;

    /// <summary>The published NativeAOT agent: <c>$IPOE_AGENT</c>, else out/agent/ipoe-agent of this checkout.</summary>
    public static string AgentPath()
    {
        if (Environment.GetEnvironmentVariable("IPOE_AGENT") is { Length: > 0 } env)
        {
            return env;
        }

        string agent = Path.Combine(Checkout.Root, "out", "agent", "ipoe-agent");
        return File.Exists(agent) ? agent : throw new FileNotFoundException($"{agent} is missing: 'build.ps1 Build' publishes the agent (NativeAOT) there.");
    }

    /// <summary>Starts ipoe-agent in <c>rtr</c> (SIGTERM stops it; see <see cref="StopAgent"/>).</summary>
    public void StartAgent(int raInterval = 10, bool release = false, int? resync = null, IReadOnlyDictionary<string, string>? environment = null, string[]? extra = null)
    {
        var variables = new Dictionary<string, string>(UnitEnvironment);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            variables[k] = v;
        }

        _agent = Start(Rtr, AgentPath(), [.. AgentArguments(raInterval, release),
            .. resync is { } r ? ["--resync-interval", r.ToString(System.Globalization.CultureInfo.InvariantCulture)] : Array.Empty<string>(), .. extra ?? []], _agentLog, variables);
    }

    /// <summary>The runtime settings packaging/systemd/ipoe-agent.service gives the agent, so the lab runs it as installed.</summary>
    public static IReadOnlyDictionary<string, string> UnitEnvironment { get; } = new Dictionary<string, string>
    {
        ["DOTNET_gcServer"] = "0",
        ["DOTNET_GCgen0size"] = "400000",
    };

    /// <summary>Runs a second agent on the same document and state while the first runs; returns its exit code and log.</summary>
    public (int Code, string Log) RunSecondAgent()
    {
        var log = new StringBuilder();
        Process second = Start(Rtr, AgentPath(), AgentArguments(10, release: false), log);
        if (!second.WaitForExit(20000))
        {
            throw new TimeoutException($"the second agent did not give up within 20 s; it said:\n{log}");
        }

        second.WaitForExit();
        lock (log)
        {
            return (second.ExitCode, log.ToString());
        }
    }

    private string[] AgentArguments(int raInterval, bool release) =>
        ["--document", Path.Combine(Directory, "router.yaml"), "--state-dir", StateDirectory, "--control-socket", ControlSocketPath,
            "--ra-interval", raInterval.ToString(System.Globalization.CultureInfo.InvariantCulture), .. release ? ["--release"] : Array.Empty<string>()];

    /// <summary>Stops the agent with SIGTERM (a graceful stop) and returns its exit code.</summary>
    public int StopAgent()
    {
        Process agent = _agent ?? throw new InvalidOperationException("no agent");
        Tmds.Linux.LibC.kill(agent.Id, Tmds.Linux.LibC.SIGTERM);
        if (!agent.WaitForExit(15000))
        {
            agent.Kill();
            throw new TimeoutException($"the agent did not stop within 15 s of SIGTERM; it said:\n{AgentLog()}");
        }

        agent.WaitForExit();
        return agent.ExitCode;
    }

    /// <summary>Waits for the agent to exit on its own and returns its exit code.</summary>
    public int WaitForAgentExit(TimeSpan timeout)
    {
        Process agent = _agent ?? throw new InvalidOperationException("no agent");
        if (!agent.WaitForExit(timeout))
        {
            throw new TimeoutException($"the agent still runs after {timeout.TotalSeconds} s; it said:\n{AgentLog()}");
        }

        agent.WaitForExit();
        return agent.ExitCode;
    }

    public string AgentLog()
    {
        lock (_agentLog)
        {
            return _agentLog.ToString();
        }
    }

    /// <summary>Moves kea's PD pool to <paramref name="pool"/>/48 and reloads it (the HGW was renumbered by the NGN).</summary>
    public Task ChangePoolAsync(string pool) => _hgw.ChangePoolAsync(pool);

    /// <summary>
    /// The HGW renumbers the WAN to <paramref name="prefix"/>/64 (the HGW gets ::1 in it; its RAs
    /// deprecate the old /64): the router takes a new SLAAC address and keeps the old one, deprecated.
    /// </summary>
    public void RenumberWan(string prefix)
    {
        NetnsFixture.Ip($"-n {Hgw} addr add {prefix}1/64 dev hgw0 nodad");
        _hgw.RenumberWan(prefix);
    }

    /// <summary>Stops kea (the HGW's DHCPv6 server disappears).</summary>
    public void StopKea() => _hgw.StopKea();

    /// <summary>Starts kea again (the HGW came back: a new server id, no leases).</summary>
    public void RestartKea() => _hgw.RestartKea();

    /// <summary>
    /// The HGW also hands out IPv4 on the WAN (192.0.2.1/24 on hgw0; kea-dhcp4 with
    /// <paramref name="kea"/>, else dnsmasq, from 192.0.2.100–150 with DNS 192.0.2.53), and the
    /// router's document gets <c>dhcp4: true</c> on wan0. Call before <see cref="StartAgent"/>.
    /// </summary>
    public HgwDhcp4Servers EnableWan4(Kea4Settings? kea)
    {
        NetnsFixture.Ip($"-n {Hgw} addr add 192.0.2.1/24 dev hgw0");
        string doc = Path.Combine(Directory, "router.yaml");
        string text = File.ReadAllText(doc);
        const string wan = "  - { name: wan0, role: wan, acceptRa: true }";
        File.WriteAllText(doc, text.Contains(wan, StringComparison.Ordinal)
            ? text.Replace(wan, "  - { name: wan0, role: wan, acceptRa: true, dhcp4: true }", StringComparison.Ordinal)
            : throw new InvalidOperationException("lab/router.yaml no longer declares wan0 as this lab expects"));
        _hgw4 = new HgwDhcp4Servers(Hgw, Directory);
        if (kea is null)
        {
            _hgw4.StartDnsmasq();
        }
        else
        {
            _hgw4.StartKea(kea);
        }

        string ready = kea is null ? "DHCP, IP range" : "DHCP4_STARTED";
        if (!_hgw4.WaitForOutputAsync(ready, TimeSpan.FromSeconds(10)).GetAwaiter().GetResult())
        {
            throw new TimeoutException($"the HGW's DHCPv4 server did not start; it said:\n{_hgw4.Output()}");
        }

        return _hgw4;
    }

    /// <summary>
    /// The router's document gets an input policy of accept (forward drop, output accept; the default
    /// rules stay), so a test of a service's binding is not a test of the firewall. Call before <see cref="StartAgent"/>.
    /// </summary>
    public void OpenInputPolicy()
    {
        string doc = Path.Combine(Directory, "router.yaml");
        string text = File.ReadAllText(doc);
        File.WriteAllText(doc, text.Contains("\nfirewall:", StringComparison.Ordinal)
            ? throw new InvalidOperationException("lab/router.yaml declares a firewall policy already; this lab expects none")
            : text + "firewall: { input: accept, forward: drop, output: accept }\n");
    }

    /// <summary>
    /// dnsmasq in <c>hgw</c> as the provider's DNS server at 2001:db8::53 (the address kea hands out in
    /// DHCPv6 option 23): it answers www.example.com with 203.0.113.80 (TTL 300 s), the AFTR's names
    /// (aftr.example, and dslite.example.net, the AFTR-Name kea sends) with 2001:db8:aa::1, and nothing
    /// else, and logs every query it gets (<see cref="HgwDnsLog"/>).
    /// </summary>
    public void StartHgwDns()
    {
        NetnsFixture.Ip($"-n {Hgw} addr add 2001:db8::53/128 dev lo nodad");
        Start(Hgw, "/usr/sbin/dnsmasq",
        [
            "--no-daemon", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--port=53", "--listen-address=2001:db8::53",
            "--bind-interfaces", "--user=root", "--local-ttl=300", "--address=/www.example.com/203.0.113.80",
            "--host-record=aftr.example,2001:db8:aa::1", "--host-record=dslite.example.net,2001:db8:aa::1", "--log-queries", "--log-facility=-",
            $"--pid-file={Path.Combine(Directory, "hgw-dns.pid")}",
        ], _hgwDnsLog);
    }

    /// <summary>What the HGW's DNS server logged.</summary>
    public string HgwDnsLog()
    {
        lock (_hgwDnsLog)
        {
            return _hgwDnsLog.ToString();
        }
    }

    /// <summary>dig in <paramref name="ns"/>: one try, two seconds; returns its output.</summary>
    public static string Dig(string ns, params string[] args) => Exec(ns, "dig", ["+tries=1", "+time=2", .. args]);

    /// <summary>Runs a program in a namespace and returns its output (stdout and stderr).</summary>
    public static string Exec(string ns, string program, params string[] args)
    {
        var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "netns", "exec", ns, program }.Concat(args))
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        Task<string> err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(30000))
        {
            p.Kill(entireProcessTree: true);
        }

        return output + err.Result;
    }

    /// <summary>
    /// dhcpcd in <c>lan</c> in test mode (-T: asks, prints, configures nothing) for IPv6 only; its
    /// control socket and DUID directories are private bind mounts, as LAB.md says they must be.
    /// Returns what its hook printed.
    /// </summary>
    public string DhcpcdInform()
    {
        string run = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "dhcpcd-run")).FullName;
        string db = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "dhcpcd-db")).FullName;
        string hook = Path.Combine(Directory, "dhcpcd-hook.sh");
        File.WriteAllText(hook, "#!/bin/sh\necho \"hook reason=$reason dns=$new_dhcp6_name_servers search=$new_dhcp6_domain_search\"\n");
        File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string conf = Path.Combine(Directory, "dhcpcd.conf");
        File.WriteAllText(conf, "option dhcp6_name_servers, dhcp6_domain_search\n");
        return Exec(Lan, "unshare", "-m", "sh", "-c",
            $"mkdir -p /run/dhcpcd /var/lib/dhcpcd && mount --bind {run} /run/dhcpcd && mount --bind {db} /var/lib/dhcpcd && exec timeout 20 dhcpcd -6 -T -c {hook} -f {conf} -t 15 eth0");
    }

    /// <summary>Polls the agent's status (its control socket) until <paramref name="done"/> holds; the timeout names the last status seen and the agent's log.</summary>
    public async Task<RouterStatus> WaitForStatus(Func<RouterStatus, bool> done, TimeSpan timeout)
    {
        DateTime until = DateTime.UtcNow + timeout;
        RouterStatus? last = null;
        Exception? error = null;
        while (DateTime.UtcNow < until)
        {
            try
            {
                last = await new AgentClient(ControlSocketPath, TimeSpan.FromSeconds(5)).GetStatusAsync();
                if (done(last))
                {
                    return last;
                }
            }
            catch (Model.IpoeException e)
            {
                error = e;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"the status never got there; last: {(last is null ? error?.Message : JsonSerializer.Serialize(last, ControlJson.Default.RouterStatus))}\nagent:\n{AgentLog()}");
    }

    /// <summary>
    /// A client interface in <c>lan</c>: a macvlan on eth0 with its own MAC, so several DHCP clients
    /// on one LAN are several hosts to the server. Goes with the namespace.
    /// </summary>
    public void AddLanHost(string name, string mac)
    {
        NetnsFixture.Ip($"-n {Lan} link add {name} link eth0 address {mac} type macvlan mode bridge");
        NetnsFixture.Ip($"-n {Lan} link set {name} up");
    }

    /// <summary>
    /// udhcpc (busybox) on <paramref name="iface"/> in <c>lan</c>: one lease, then it exits (-q), having
    /// sent <paramref name="hostname"/>; its script prints what it got as <c>udhcpc KEY=VALUE</c> lines.
    /// </summary>
    public string Udhcpc(string iface, string hostname, string? requestIp = null)
    {
        string script = Path.Combine(Directory, "udhcpc.sh");
        File.WriteAllText(script, "#!/bin/sh\necho \"udhcpc event=$1 ip=$ip subnet=$subnet router=$router dns=$dns domain=$domain search=$search ntp=$ntpsrv lease=$lease serverid=$serverid\"\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string[] request = requestIp is null ? [] : ["-r", requestIp];
        return Exec(Lan, "udhcpc", ["-f", "-q", "-n", "-t", "4", "-T", "2", "-i", iface, "-s", script, "-x", $"hostname:{hostname}",
            "-O", "ntpsrv", "-O", "search", .. request]);
    }

    /// <summary>
    /// dhcpcd in <c>lan</c> for IPv4 on <paramref name="iface"/>: one lease (-1), no ARP probe, nothing
    /// written outside the namespace (private bind mounts for its run and db directories); its hook prints
    /// the lease as <c>dhcpcd KEY=VALUE</c> lines.
    /// </summary>
    public string Dhcpcd4(string iface, string hostname)
    {
        string run = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "dhcpcd4-run")).FullName;
        string db = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "dhcpcd4-db")).FullName;
        string hook = Path.Combine(Directory, "dhcpcd4-hook.sh");
        File.WriteAllText(hook, "#!/bin/sh\necho \"dhcpcd reason=$reason ip=$new_ip_address mask=$new_subnet_cidr routers=$new_routers dns=$new_domain_name_servers domain=$new_domain_name search=$new_domain_search ntp=$new_ntp_servers lease=$new_dhcp_lease_time\"\n");
        File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string conf = Path.Combine(Directory, "dhcpcd4.conf");
        File.WriteAllText(conf, $"hostname {hostname}\noption domain_name_servers, domain_name, domain_search, ntp_servers\nnoarp\n");
        return Exec(Lan, "unshare", "-m", "sh", "-c",
            $"mkdir -p /run/dhcpcd /var/lib/dhcpcd && mount --bind {run} /run/dhcpcd && mount --bind {db} /var/lib/dhcpcd && exec timeout 25 dhcpcd -4 -1 -B -c {hook} -f {conf} -t 20 {iface}");
    }

    public JsonElement IpJson(string ns, string args) => JsonDocument.Parse(NetnsFixture.Ip($"-n {ns} -j {args}") is { Length: > 0 } s ? s : "[]").RootElement;

    public static string ReadSysctl(string ns, string key) =>
        new IpoeRouter.Linux.Sysctl.SysctlAccess(NetworkNamespace.Named(ns)).ReadMany([key]).Values.Single() ?? string.Empty;

    /// <summary>A raw ICMPv6 socket in <c>lan</c> that hands every Router Advertisement it hears to a channel, stamped on arrival.</summary>
    public RaListener ListenForRas() => new(NetworkNamespace.Named(Lan), "eth0");

    public void Dispose()
    {
        _hgw?.Dispose();
        _hgw4?.Dispose();
        foreach (Process p in Enumerable.Reverse(_processes))
        {
            NamespaceProcess.Stop(p);
            p.Dispose();
        }

        foreach (string n in new[] { Lan, Rtr, Hgw })
        {
            try
            {
                NetnsFixture.Ip($"netns delete {n}");
            }
            catch (InvalidOperationException)
            {
                // never created, or already gone
            }
        }

        // The agent ran with IPOE_RUN_DIR inside the lab directory (its socket, its firewall record): all goes with it.
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private Process Start(string ns, string program, string[] args, StringBuilder? output, IReadOnlyDictionary<string, string>? environment = null)
    {
        var variables = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["IPOE_RUN_DIR"] = Path.Combine(Directory, "run") };
        Process p = NamespaceProcess.Start(ns, program, args, output, variables);
        _processes.Add(p);
        return p;
    }

    private static void Sysctl(string ns, string key, string value) =>
        new IpoeRouter.Linux.Sysctl.SysctlAccess(NetworkNamespace.Named(ns)).Write(key, value);
}

/// <summary>Router Advertisements heard on one interface, each with the time it arrived.</summary>
public sealed class RaListener(NetworkNamespace ns, string interfaceName) : PacketListener(ns.Run(() =>
{
    var s = new Socket(AddressFamily.InterNetworkV6, SocketType.Raw, ProtocolType.IcmpV6);
    s.SetRawSocketOption(1, 25, Encoding.ASCII.GetBytes(interfaceName + "\0")); // SO_BINDTODEVICE
    return s;
}))
{
    public Channel<(DateTimeOffset At, RouterAdvertisement Ra)> Heard { get; } = Channel.CreateUnbounded<(DateTimeOffset, RouterAdvertisement)>();

    /// <summary>The first RA after now that satisfies <paramref name="match"/>, or a timeout naming what was heard instead.</summary>
    public async Task<(DateTimeOffset At, RouterAdvertisement Ra)> WaitFor(Func<RouterAdvertisement, bool> match, TimeSpan timeout, string what)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var seen = new List<string>();
        try
        {
            while (true)
            {
                var heard = await Heard.Reader.ReadAsync(deadline.Token);
                if (match(heard.Ra))
                {
                    return heard;
                }

                seen.Add(Describe(heard.Ra));
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no RA with {what} within {timeout.TotalSeconds} s; heard: {(seen.Count == 0 ? "nothing" : string.Join(" | ", seen))}");
        }
    }

    public static string Describe(RouterAdvertisement ra) =>
        $"lifetime {ra.RouterLifetime}: " + string.Join(", ", ra.Options.OfType<PrefixInformationOption>().Select(p => $"{p.Prefix}/{p.PrefixLength} {p.ValidLifetime}/{p.PreferredLifetime}"));

    protected override void OnPacket(ReadOnlySpan<byte> packet, DateTimeOffset at)
    {
        if (packet.Length > 0 && packet[0] == 134)
        {
            Heard.Writer.TryWrite((at, RouterAdvertisement.Parse(packet)));
        }
    }
}
