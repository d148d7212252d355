using IpoeRouter.Lab;
using Xunit;
using Xunit.Abstractions;

namespace IpoeRouter.Agent.Tests;

/// <summary>
/// What the agent keeps on disk names the LAN's hosts (MACs, host names), holds DUIDs and the way
/// back from an apply on probation: after a real run in the lab every file it wrote in its state
/// and run directories is readable by root alone (0600), and every directory there is 0700.
/// </summary>
public sealed class StateFilesLabTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [NetnsFact]
    public async Task AfterARealRun_EveryStateFileIs0600_AndEveryStateDirectory0700()
    {
        using var lab = new RouterLab();
        lab.EnableWan4(kea: null);
        lab.StartAgent();
        await lab.WaitForStatus(s => s.Lans.Single().Prefix is not null && s.Wan4.SingleOrDefault() is { State: "Bound" }
            && s.Services.Any(x => x.Name.StartsWith("dhcp4-server", StringComparison.Ordinal) && x.State == "Running"), Wait);
        lab.AddLanHost("c1", "02:00:5e:00:53:01");
        Assert.Contains("event=bound", lab.Udhcpc("c1", "alpha"), StringComparison.Ordinal);
        // An edit put on probation: the agent writes the way back to its run directory.
        string doc = Path.Combine(lab.Directory, "router.yaml");
        File.WriteAllText(doc + ".new", File.ReadAllText(doc) + "  - { name: net.ipv4.ip_forward, value: 1 }\n");
        File.Move(doc + ".new", doc, overwrite: true);
        await lab.WaitForStatus(_ => RouterLab.ReadSysctl(lab.Rtr, "net/ipv4/ip_forward") == "1", Wait);
        ReconcileReport held = await new AgentClient(lab.ControlSocketPath, TimeSpan.FromSeconds(10)).ReconcileAsync(new ReconcileRequest(600));
        Assert.NotNull(held.ConfirmationId);

        string run = Path.Combine(lab.Directory, "run");
        string[] expected =
        [
            Path.Combine(lab.StateDirectory, "pd-hgw.json"),              // the DUID and the delegation
            Path.Combine(lab.StateDirectory, "dhcp4-lan0.leases"),        // the LAN's hosts: MACs, names
            Path.Combine(lab.StateDirectory, "dhcp4-client-wan0.json"),   // the WAN's DHCPv4 lease
            Path.Combine(lab.StateDirectory, "agent.pid"),
            Path.Combine(run, "held", held.ConfirmationId + ".json"),    // the way back from the apply on probation
        ];
        foreach (string file in expected)
        {
            Assert.True(File.Exists(file), $"{file} was not written; the state directory holds: {string.Join(", ", Directory.GetFiles(lab.StateDirectory))}");
        }

        var wrong = new List<string>();
        foreach (string root in new[] { lab.StateDirectory, run })
        {
            Check(root, wrong);
            foreach (string entry in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories))
            {
                Check(entry, wrong);
            }
        }

        Assert.True(wrong.Count == 0, "readable beyond root:\n" + string.Join("\n", wrong));
    }

    private void Check(string path, List<string> wrong)
    {
        UnixFileMode mode = File.GetUnixFileMode(path);
        bool directory = Directory.Exists(path);
        UnixFileMode allowed = directory
            ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            : UnixFileMode.UserRead | UnixFileMode.UserWrite;
        output.WriteLine($"{Convert.ToString((int)mode, 8)} {path}");
        if ((mode & ~allowed) != 0)
        {
            wrong.Add($"{Convert.ToString((int)mode, 8)} {path}");
        }
    }
}
