using System.Diagnostics;
using System.Text.Json;
using IpoeRouter.Linux.Netlink;

namespace IpoeRouter.Lab;

/// <summary>
/// A fresh network namespace for one test, with a veth pair <c>v0</c>/<c>v1</c> inside it, and a
/// netlink socket opened there. Disposing deletes the namespace (and with it the veths), also when
/// the test failed. State is checked with <c>ip -j</c>, independently of our own reader.
/// </summary>
public sealed class NetnsFixture : IDisposable
{
    public NetnsFixture()
    {
        Name = $"ipoe-t-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
        Ip($"netns add {Name}");
        try
        {
            Ip($"-n {Name} link add v0 type veth peer name v1");
            Ip($"-n {Name} link set lo up");
            Socket = NetlinkSocket.OpenInNamespace($"/run/netns/{Name}");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Name { get; }

    public NetlinkSocket Socket { get; } = null!;

    /// <summary>Runs <c>ip -n NS ARGS</c> and returns its output.</summary>
    public string InNs(string args) => Ip($"-n {Name} {args}");

    /// <summary>Runs <c>ip -j -n NS ARGS</c> and parses the JSON.</summary>
    public JsonElement Json(string args) => JsonDocument.Parse(InNs("-j " + args) is { Length: > 0 } s ? s : "[]").RootElement;

    public static string Ip(string args)
    {
        var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0 ? output : throw new InvalidOperationException($"ip {args} failed ({p.ExitCode}): {error}");
    }

    public void Dispose()
    {
        Socket?.Dispose();
        try
        {
            Ip($"netns delete {Name}");
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        // The engine records its last firewall apply per namespace beside its pending confirmations.
        string runDir = Environment.GetEnvironmentVariable("IPOE_RUN_DIR") is { Length: > 0 } d ? d : "/run/ipoe";
        string record = Path.Combine(runDir, $"firewall-{Name}.json");
        if (File.Exists(record))
        {
            File.Delete(record);
        }
    }
}
