using System.Net;
using System.Text.RegularExpressions;
using IpoeRouter.Engine.Runtime;
using IpoeRouter.Lab;
using IpoeRouter.Linux.Netlink;
using Xunit;
using Xunit.Abstractions;

namespace IpoeRouter.Agent.Tests;

/// <summary>
/// The agent's DHCPv4 server (lab/router.yaml: lan0 198.51.100.1/24, pool .100–.199, lease 10 min,
/// one reservation) against real clients in <c>lan</c>: busybox udhcpc and dhcpcd, each on its own
/// macvlan host, and a storm of clients from <see cref="Dhcp4Storm"/>.
/// </summary>
public sealed partial class Dhcp4LabTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly IPAddress Reserved = IPAddress.Parse("198.51.100.10");

    [NetnsFact]
    public async Task Udhcpc_And_Dhcpcd_GetLeasesWithTheScopesOptions_AndTheReservationIsHonoured()
    {
        using var lab = new RouterLab();
        lab.StartAgent();
        await Dhcp4Running(lab);
        lab.AddLanHost("c1", "02:00:5e:00:53:01");
        lab.AddLanHost("c2", "02:00:5e:00:53:02");
        lab.AddLanHost("c3", "02:00:5e:00:53:10"); // the reservation's MAC

        string udhcpc = lab.Udhcpc("c1", "alpha");
        output.WriteLine(udhcpc);
        Dictionary<string, string> u = Fields(udhcpc, "udhcpc", "bound");
        IPAddress alpha = IPAddress.Parse(u["ip"]);
        Assert.True(InPool(alpha), $"{alpha} is not in the pool");
        Assert.Equal("255.255.255.0", u["subnet"]);
        Assert.Equal("198.51.100.1", u["router"]);
        Assert.Equal("198.51.100.1", u["dns"]);   // the forwarder serves lan0: the router names itself
        Assert.Equal("home.example", u["domain"]);
        Assert.Equal("home.example", u["search"]);
        Assert.Equal("198.51.100.1", u["ntp"]);
        Assert.Equal("600", u["lease"]);
        Assert.Equal("198.51.100.1", u["serverid"]);

        string dhcpcd = lab.Dhcpcd4("c2", "beta");
        output.WriteLine(dhcpcd);
        Dictionary<string, string> d = Fields(dhcpcd, "dhcpcd", "BOUND");
        IPAddress beta = IPAddress.Parse(d["ip"]);
        Assert.True(InPool(beta), $"{beta} is not in the pool");
        Assert.NotEqual(alpha, beta);
        Assert.Equal("24", d["mask"]);
        Assert.Equal("198.51.100.1", d["routers"]);
        Assert.Equal("198.51.100.1", d["dns"]);
        Assert.Equal("home.example", d["domain"]);
        Assert.Equal("home.example", d["search"]);
        Assert.Equal("198.51.100.1", d["ntp"]);
        Assert.Equal("600", d["lease"]);

        Dictionary<string, string> r = Fields(lab.Udhcpc("c3", "whatever"), "udhcpc", "bound");
        Assert.Equal(Reserved.ToString(), r["ip"]);

        RouterStatus status = await lab.WaitForStatus(s => s.Dhcp4.Single().Leases.Count == 3, Wait);
        Dhcp4ScopeStatus scope = status.Dhcp4.Single();
        Assert.Equal("198.51.100.100-198.51.100.199", scope.Pool);
        Assert.Equal(100, scope.PoolSize);
        Assert.Contains(scope.Leases, l => l.Address == alpha.ToString() && l.HardwareAddress == "02:00:5e:00:53:01" && l.HostName == "alpha");
        Assert.Contains(scope.Leases, l => l.Address == beta.ToString() && l.HardwareAddress == "02:00:5e:00:53:02" && l.HostName == "beta");
        Assert.Contains(scope.Leases, l => l.Address == Reserved.ToString() && l.HostName == "printer"); // the reservation's name wins
        Assert.Equal(0, scope.Unwritten);
        output.WriteLine(lab.AgentLog());
    }

    [NetnsFact]
    public async Task RestartingTheAgent_KeepsEveryLease_AndClientsGetTheirAddressesBack()
    {
        using var lab = new RouterLab();
        lab.StartAgent();
        await Dhcp4Running(lab);
        lab.AddLanHost("c1", "02:00:5e:00:53:01");
        lab.AddLanHost("c2", "02:00:5e:00:53:02");
        lab.AddLanHost("c4", "02:00:5e:00:53:04");
        IPAddress alpha = IPAddress.Parse(Fields(lab.Udhcpc("c1", "alpha"), "udhcpc", "bound")["ip"]);
        IPAddress beta = IPAddress.Parse(Fields(lab.Dhcpcd4("c2", "beta"), "dhcpcd", "BOUND")["ip"]);
        Assert.Equal(0, lab.StopAgent());

        lab.StartAgent();
        RouterStatus after = await lab.WaitForStatus(s => s.Dhcp4.Count == 1 && s.Services.Any(v => v.Name == "dhcp4-server:lan0" && v.State == "Running"), Wait);
        Assert.Equal([alpha.ToString(), beta.ToString()], after.Dhcp4.Single().Leases.Select(l => l.Address).Order());

        // The same hosts ask again from scratch: each gets its own address back; a new host gets another.
        Assert.Equal(alpha.ToString(), Fields(lab.Udhcpc("c1", "alpha"), "udhcpc", "bound")["ip"]);
        // dhcpcd kept its lease in its db directory: it comes back with INIT-REBOOT (reason REBOOT), which the server must confirm.
        Assert.Equal(beta.ToString(), Fields(lab.Dhcpcd4("c2", "beta"), "dhcpcd", "REBOOT")["ip"]);
        string gamma = Fields(lab.Udhcpc("c4", "gamma"), "udhcpc", "bound")["ip"];
        Assert.DoesNotContain(gamma, new[] { alpha.ToString(), beta.ToString() });
    }

    /// <summary>
    /// kill -9 during a storm of 60 clients; a second agent on the same state must still know every
    /// lease a client was acknowledged (each ACK left only after its lease was on disk), and a second
    /// storm of 30 new clients must get none of those addresses.
    /// </summary>
    [NetnsFact]
    public async Task KillDashNine_DuringALeaseStorm_LosesNoAcknowledgedLease()
    {
        using var lab = new RouterLab();
        lab.StartAgent();
        await Dhcp4Running(lab);
        using var storm = new Dhcp4Storm(NetworkNamespace.Named(lab.Lan), "eth0");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Task first = storm.RunAsync(1, 60, stop.Token);
        while (storm.Acked.Count < 20 && !first.IsCompleted)
        {
            await Task.Delay(5);
        }

        int pid = lab.AgentPid ?? throw new InvalidOperationException("the agent is not running");
        Tmds.Linux.LibC.kill(pid, Tmds.Linux.LibC.SIGKILL);
        int ackedAtKill = storm.Acked.Count;
        lab.WaitForAgentExit(TimeSpan.FromSeconds(10));
        await Task.Delay(500); // ACKs still in flight have arrived

        lab.StartAgent();
        await Dhcp4Running(lab);
        await first; // the storm's clients finish against the new agent
        Assert.Equal(60, storm.Acked.Count);
        RouterStatus status = await lab.WaitForStatus(s => s.Dhcp4.Single().Leases.Count >= 60, Wait);
        var remembered = status.Dhcp4.Single().Leases.ToDictionary(l => l.Address, l => l.HardwareAddress);
        foreach ((int client, IPAddress address) in storm.AckLog)
        {
            Assert.True(remembered.TryGetValue(address.ToString(), out string? mac), $"{address}, acknowledged to client {client}, is not remembered");
            Assert.Equal(Dhcp4Storm.Mac(client).ToString(), mac);
        }

        Assert.Equal(storm.Acked.Count, storm.Acked.Values.Distinct().Count()); // no address acknowledged to two clients

        using var stop2 = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var storm2 = new Dhcp4Storm(NetworkNamespace.Named(lab.Lan), "eth0");
        await storm2.RunAsync(1001, 30, stop2.Token);
        Assert.Equal(30, storm2.Acked.Count);
        Assert.Empty(storm2.Acked.Values.Intersect(storm.Acked.Values));
        output.WriteLine($"{ackedAtKill} clients were acknowledged when the agent was killed; all 60 remembered after the restart");
    }

    private static bool InPool(IPAddress a) => a.GetAddressBytes() is [198, 51, 100, >= 100 and <= 199];

    private static async Task Dhcp4Running(RouterLab lab) =>
        await lab.WaitForStatus(s => s.Services.Any(v => v.Name == "dhcp4-server:lan0" && v.State == "Running"), Wait);

    /// <summary>The KEY=VALUE fields of the client's line for <paramref name="reason"/>.</summary>
    private static Dictionary<string, string> Fields(string text, string client, string reason)
    {
        string line = text.Split('\n').FirstOrDefault(l => l.StartsWith(client + " ", StringComparison.Ordinal) && Regex.IsMatch(l, $@"\b(event|reason)=(?:{reason})\b"))
            ?? throw new Xunit.Sdk.XunitException($"{client} printed no '{reason}' line:\n{text}");
        return Field().Matches(line).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim());
    }

    [GeneratedRegex(@"(\w+)=(\S*)")]
    private static partial Regex Field();
}
