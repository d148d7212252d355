using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace IpoeRouter.Lab;

/// <summary>What kea-dhcp4 in the HGW namespace hands out: lease times in seconds (lab/hgw/kea-dhcp4.json holds the rest).</summary>
public sealed record Kea4Settings(int Renew = 1800, int Rebind = 3150, int Valid = 3600);

/// <summary>
/// The home gateway's DHCPv4 server for the router's WAN, in a lab namespace whose HGW end is
/// <c>hgw0</c> with 192.0.2.1/24: dnsmasq (lab/hgw/dnsmasq-wan4.conf) or kea-dhcp4
/// (lab/hgw/kea-dhcp4.json), both handing out 192.0.2.100–150 with DNS 192.0.2.53. Started with
/// <c>ip netns exec</c>, stopped by their pid on dispose; their files live in <paramref name="directory"/>.
/// </summary>
public sealed class HgwDhcp4Servers(string ns, string directory) : IDisposable
{
    private readonly StringBuilder _output = new();
    private readonly List<Process> _processes = [];

    /// <summary>dnsmasq's lease file (one line per lease; a released lease's line is removed).</summary>
    public string DnsmasqLeaseFile => Path.Combine(directory, "dnsmasq.leases");

    /// <summary>kea's memfile lease file (CSV, appended to; a released lease is written again with valid lifetime 0).</summary>
    public string KeaLeaseFile => Path.Combine(directory, "leases4.csv");

    /// <summary>Starts dnsmasq in the foreground, logging to stderr.</summary>
    public void StartDnsmasq()
    {
        string config = Path.Combine(directory, "dnsmasq-wan4.conf");
        File.WriteAllText(config, File.ReadAllText(Path.Combine(HgwServers.LabDirectory, "hgw", "dnsmasq-wan4.conf")).Replace("@DIR@", directory, StringComparison.Ordinal));
        Start("/usr/sbin/dnsmasq", ["--no-daemon", $"--conf-file={config}", "--log-facility=-"], null);
    }

    /// <summary>Starts kea-dhcp4 with <paramref name="settings"/> (raw sockets, memfile leases in the directory).</summary>
    public void StartKea(Kea4Settings settings)
    {
        string config = Path.Combine(directory, "kea-dhcp4.json");
        File.WriteAllText(config, File.ReadAllText(Path.Combine(HgwServers.LabDirectory, "hgw", "kea-dhcp4.json"))
            .Replace("@DIR@", directory, StringComparison.Ordinal)
            .Replace("@VALID@", settings.Valid.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@RENEW@", settings.Renew.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@REBIND@", settings.Rebind.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        Start("/usr/sbin/kea-dhcp4", ["-c", config], new() { ["KEA_PIDFILE_DIR"] = directory, ["KEA_LOCKFILE_DIR"] = directory });
    }

    /// <summary>What the servers printed.</summary>
    public string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    /// <summary>Waits until the servers have printed <paramref name="text"/> (ready, or an exchange done); false after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForOutputAsync(string text, TimeSpan timeout)
    {
        DateTime end = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < end)
        {
            if (Output().Contains(text, StringComparison.Ordinal))
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    public void Dispose()
    {
        foreach (Process p in _processes)
        {
            NamespaceProcess.Stop(p);
            p.Dispose();
        }
    }

    private void Start(string program, string[] args, Dictionary<string, string>? env) =>
        _processes.Add(NamespaceProcess.Start(ns, program, args, _output, env));
}
