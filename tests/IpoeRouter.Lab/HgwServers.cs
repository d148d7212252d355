using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace IpoeRouter.Lab;

/// <summary>What kea-dhcp6 in the HGW namespace hands out (the lab's files under lab/hgw hold the rest).</summary>
public sealed record KeaSettings(int Renew = 7200, int Rebind = 11520, int Preferred = 12600, int Valid = 14400, string Pool = "2001:db8:1200::");

/// <summary>
/// The home gateway's servers in a lab namespace whose HGW end is <c>hgw0</c>: kea-dhcp6 delegating
/// /60s (lab/hgw/kea-dhcp6.json) and, when asked, radvd (lab/hgw/radvd.conf). Both are started with
/// <c>ip netns exec</c> and stopped by their pid on dispose; their files live in <paramref name="directory"/>.
/// The same files serve the README's lab script and the memory benchmark.
/// </summary>
public sealed class HgwServers(string ns, string directory) : IDisposable
{
    private readonly StringBuilder _output = new();
    private readonly List<Process> _processes = [];
    private Process? _kea;
    private KeaSettings _settings = new();
    private Process? _radvd;
    private string? _rdnss;
    private string _wanPrefix = "2001:db8:ff::";
    private readonly List<string> _deprecated = [];

    /// <summary>The lab's files (lab/ in this checkout).</summary>
    public static string LabDirectory => Path.Combine(Checkout.Root, "lab");

    /// <summary>Starts kea-dhcp6 with <paramref name="settings"/>.</summary>
    public void StartKea(KeaSettings settings)
    {
        _settings = settings;
        string config = Path.Combine(directory, "kea-dhcp6.json");
        File.WriteAllText(config, KeaConfig());
        _kea = Start("kea-dhcp6", ["-c", config], new() { ["KEA_PIDFILE_DIR"] = directory, ["KEA_LOCKFILE_DIR"] = directory });
    }

    /// <summary>
    /// Starts radvd with the HGW's RAs (lab/hgw/radvd.conf); with <paramref name="rdnss"/>, they also
    /// name that DNS server (RFC 8106 RDNSS, lifetime 60 s), which an NTT HGW does not do.
    /// </summary>
    public void StartRadvd(string? rdnss = null)
    {
        _rdnss = rdnss;
        _radvd = Start("radvd", ["-n", "-C", WriteRadvdConfig(), "-p", Path.Combine(directory, "radvd.pid"), "-m", "stderr"], null);
    }

    /// <summary>
    /// The HGW renumbers the WAN: its RAs announce <paramref name="prefix"/>/64 and the old /64 with
    /// preferred lifetime 0 (deprecated: addresses in it stay valid for a while but are not to be used
    /// for new things), and radvd is told to read its configuration again (SIGHUP, by pid).
    /// </summary>
    public void RenumberWan(string prefix)
    {
        _deprecated.Add(_wanPrefix);
        _wanPrefix = prefix;
        WriteRadvdConfig();
        Tmds.Linux.LibC.kill((_radvd ?? throw new InvalidOperationException("radvd was never started")).Id, Tmds.Linux.LibC.SIGHUP);
    }

    /// <summary>radvd's configuration in the test's directory: lab/hgw/radvd.conf with the current prefix, the deprecated ones and the RDNSS option.</summary>
    private string WriteRadvdConfig()
    {
        string text = File.ReadAllText(Path.Combine(LabDirectory, "hgw", "radvd.conf")).Replace("2001:db8:ff::/64", _wanPrefix + "/64", StringComparison.Ordinal);
        int end = text.LastIndexOf("};", StringComparison.Ordinal);
        string extra = string.Concat(_deprecated.Select(d => $"  prefix {d}/64 {{ AdvValidLifetime 7200; AdvPreferredLifetime 0; }};\n"))
            + (_rdnss is null ? "" : $"  RDNSS {_rdnss} {{ AdvRDNSSLifetime 60; }};\n");
        string copy = Path.Combine(directory, "radvd.conf");
        File.WriteAllText(copy, text[..end] + extra + text[end..]);
        return copy;
    }

    /// <summary>What kea and radvd printed.</summary>
    public string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    /// <summary>Moves kea's PD pool to <paramref name="pool"/>/48 and reloads it (the HGW was renumbered by the NGN).</summary>
    public async Task ChangePoolAsync(string pool)
    {
        _settings = _settings with { Pool = pool };
        File.WriteAllText(Path.Combine(directory, "kea-dhcp6.json"), KeaConfig());
        using var control = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await control.ConnectAsync(new UnixDomainSocketEndPoint(Path.Combine(directory, "kea6.sock")));
        await control.SendAsync("{ \"command\": \"config-reload\" }"u8.ToArray());
        byte[] answer = new byte[4096];
        int n = await control.ReceiveAsync(answer, SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(10));
        string text = Encoding.UTF8.GetString(answer, 0, n);
        if (!text.Contains("\"result\": 0", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"kea refused config-reload: {text}");
        }
    }

    /// <summary>Stops kea (the HGW's DHCPv6 server disappears).</summary>
    public void StopKea() => NamespaceProcess.Stop(_kea);

    /// <summary>Starts kea again with the settings it had (a restarted HGW: a new server id, no leases).</summary>
    public void RestartKea() => StartKea(_settings ?? throw new InvalidOperationException("kea was never started"));

    public void Dispose()
    {
        foreach (Process p in _processes)
        {
            NamespaceProcess.Stop(p);
            p.Dispose();
        }
    }

    private string KeaConfig() => File.ReadAllText(Path.Combine(LabDirectory, "hgw", "kea-dhcp6.json"))
        .Replace("@DIR@", directory, StringComparison.Ordinal)
        .Replace("@POOL@", _settings.Pool, StringComparison.Ordinal)
        .Replace("@PREFERRED@", _settings.Preferred.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("@VALID@", _settings.Valid.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("@RENEW@", _settings.Renew.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("@REBIND@", _settings.Rebind.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private Process Start(string program, string[] args, Dictionary<string, string>? env)
    {
        Process p = NamespaceProcess.Start(ns, program, args, _output, env);
        _processes.Add(p);
        return p;
    }
}

/// <summary>The checkout the tests run from.</summary>
public static class Checkout
{
    /// <summary>The folder holding IpoeIaC.sln above the test assembly.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IpoeIaC.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("no IpoeIaC.sln above the test assembly");
    }
}
