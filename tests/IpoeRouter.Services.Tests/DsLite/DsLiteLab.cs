using System.Diagnostics;
using System.Net;
using System.Text;
using IpoeRouter.Lab;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Services.DsLite;

namespace IpoeRouter.Services.Tests.DsLite;

/// <summary>
/// DS-Lite end to end in four namespaces, every one deleted on dispose (also when a test failed):
/// <code>
/// lan  eth0 198.51.100.10/24 ── lan0 198.51.100.1/24
/// b4   the B4 pump (in this process) on b4tun 192.0.0.2/29, MTU 1460, default route;
///      wan0 2001:db8:4::b4/64 ── b4side 2001:db8:4::af/64
/// aftr ipoe-lab-aftr (a process) on aftr0 192.0.0.1/29; up0 203.0.113.1/24, nft masquerade out of up0
///      up0 ── eth0 203.0.113.2/24
/// inet
/// </code>
/// The b4 namespace routes the LAN into the TUN without NAT, as a B4 does; the AFTR's masquerade is
/// the only NAT, so the inet host sees 203.0.113.1.
/// </summary>
internal sealed class DsLiteLab : IDisposable
{
    public static readonly IPAddress B4Address = IPAddress.Parse("2001:db8:4::b4");
    public static readonly IPAddress AftrAddress = IPAddress.Parse("2001:db8:4::af");
    public static readonly IPAddress LanHost = IPAddress.Parse("198.51.100.10");
    public static readonly IPAddress InetHost = IPAddress.Parse("203.0.113.2");
    public static readonly IPAddress AftrPublic = IPAddress.Parse("203.0.113.1");
    public const string TunName = "b4tun";

    private readonly NetnsFixture _lan = new();
    private readonly NetnsFixture _b4 = new();
    private readonly NetnsFixture _aftr = new();
    private readonly NetnsFixture _inet = new();
    private readonly StringBuilder _aftrLog = new();
    private Process? _aftrProcess;

    public DsLiteLab()
    {
        try
        {
            _lan.InNs("link set v1 name lan0");
            _lan.InNs($"link set lan0 netns {_b4.Name}");
            _b4.InNs("link set v0 name wan0");
            _b4.InNs("link set v1 name b4side");
            _b4.InNs($"link set b4side netns {_aftr.Name}");
            _aftr.InNs("link set v0 name up0");
            _aftr.InNs("link set v1 name eth0");
            _aftr.InNs($"link set eth0 netns {_inet.Name}");

            _lan.InNs("addr add 198.51.100.10/24 dev v0");
            _lan.InNs("link set v0 up");
            _lan.InNs("route add default via 198.51.100.1");
            _b4.InNs("addr add 198.51.100.1/24 dev lan0");
            _b4.InNs($"addr add {B4Address}/64 dev wan0 nodad");
            _b4.InNs("link set lan0 up");
            _b4.InNs("link set wan0 up");
            _aftr.InNs($"addr add {AftrAddress}/64 dev b4side nodad");
            _aftr.InNs("addr add 203.0.113.1/24 dev up0");
            _aftr.InNs("link set b4side up");
            _aftr.InNs("link set up0 up");
            _inet.InNs("addr add 203.0.113.2/24 dev eth0");
            _inet.InNs("link set eth0 up");
            Run(_b4.Name, "sysctl", "-qw", "net.ipv4.ip_forward=1");
            Run(_aftr.Name, "sysctl", "-qw", "net.ipv4.ip_forward=1");
            Run(_aftr.Name, "nft", "add table ip lab; add chain ip lab post { type nat hook postrouting priority 100; }; add rule ip lab post oifname up0 masquerade");

            _aftrProcess = NamespaceProcess.Start(_aftr.Name, DotnetHost(), [Path.Combine(AppContext.BaseDirectory, "ipoe-lab-aftr.dll"), "aftr", "--address", AftrAddress.ToString()], _aftrLog);
            WaitForAftrLog("ready aftr", TimeSpan.FromSeconds(15));

            Pump = NetworkNamespace.Named(_b4.Name).Run(() => B4Pump.Open(TunName));
            _b4.InNs($"link set {TunName} mtu 1460");
            _b4.InNs($"addr add 192.0.0.2/29 dev {TunName}");
            _b4.InNs($"link set {TunName} up");
            _b4.InNs($"route add default dev {TunName}");
            Pump.SetEndpoints(B4Address, AftrAddress);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public B4Pump Pump { get; private set; } = null!;

    public string Lan => _lan.Name;

    public string B4 => _b4.Name;

    public string Aftr => _aftr.Name;

    public string Inet => _inet.Name;

    public string InB4(string ipArgs) => _b4.InNs(ipArgs);

    public string InAftr(string ipArgs) => _aftr.InNs(ipArgs);

    public string AftrLog()
    {
        lock (_aftrLog)
        {
            return _aftrLog.ToString();
        }
    }

    /// <summary>Waits until the AFTR's output holds <paramref name="text"/>; throws with the output when it does not in time.</summary>
    public void WaitForAftrLog(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!AftrLog().Contains(text, StringComparison.Ordinal))
        {
            if (clock.Elapsed > timeout || _aftrProcess is { HasExited: true })
            {
                throw new TimeoutException($"the lab AFTR did not say '{text}' within {timeout}; it said:\n{AftrLog()}");
            }

            Thread.Sleep(20);
        }
    }

    /// <summary><c>ping -c COUNT -W 2 [-M do -s SIZE] TARGET</c> in <paramref name="ns"/>: exit code and output.</summary>
    public static (int ExitCode, string Output) Ping(string ns, IPAddress target, int count = 1, int? dontFragmentPayload = null)
    {
        var args = new List<string> { "-n", "-c", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "-i", "0.2", "-W", "2" };
        if (dontFragmentPayload is { } size)
        {
            args.AddRange(["-M", "do", "-s", size.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        args.Add(target.ToString());
        return RunForResult(ns, "ping", [.. args]);
    }

    /// <summary>A counter of <c>/proc/net/snmp6</c> in <paramref name="ns"/> (as the thread inside it sees it).</summary>
    public static long Snmp6(string ns, string name) => NetworkNamespace.Named(ns).Run(() =>
        File.ReadLines("/proc/thread-self/net/snmp6").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length == 2 && f[0] == name).Select(f => long.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture)).Single());

    public static void Run(string ns, string program, params string[] args)
    {
        var (code, output) = RunForResult(ns, program, args);
        if (code != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} in {ns} failed ({code}): {output}");
        }
    }

    public static (int ExitCode, string Output) RunForResult(string ns, string program, params string[] args)
    {
        var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "netns", "exec", ns, program }.Concat(args))
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr);
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public void Dispose()
    {
        Pump?.Dispose();
        NamespaceProcess.Stop(_aftrProcess);
        _inet.Dispose();
        _aftr.Dispose();
        _b4.Dispose();
        _lan.Dispose();
    }
}
