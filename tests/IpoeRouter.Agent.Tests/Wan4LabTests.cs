using System.Text.Json;
using IpoeRouter.Engine.Runtime;
using IpoeRouter.Lab;
using Xunit;
using Xunit.Abstractions;

namespace IpoeRouter.Agent.Tests;

/// <summary>
/// The agent's WAN DHCPv4 client (wan0 with <c>dhcp4: true</c>) against the HGW's kea-dhcp4 or
/// dnsmasq: the address goes on wan0 with the lease's time as its lifetimes and no IPv4 default
/// route, the lease is kept in the state directory and renewed, a restart keeps the address, the
/// lease's DNS server becomes the forwarder's upstream, and only a stop with --release gives it back.
/// </summary>
public sealed class Wan4LabTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [NetnsFact]
    public async Task Kea_LeaseOnWan0_RenewedInTheKernel_KeptAcrossARestart_ReleasedOnlyWithRelease()
    {
        using var lab = new RouterLab();
        HgwDhcp4Servers hgw = lab.EnableWan4(new Kea4Settings(Renew: 4, Rebind: 7, Valid: 20));
        lab.StartAgent();
        RouterStatus bound = await lab.WaitForStatus(s => s.Wan4.SingleOrDefault() is { State: "Bound", Address: not null }, Wait);
        Dhcp4ClientStatus wan4 = bound.Wan4.Single();
        string address = wan4.Address!;
        Assert.StartsWith("192.0.2.", address, StringComparison.Ordinal);
        Assert.EndsWith("/24", address, StringComparison.Ordinal);
        Assert.Equal("192.0.2.1", wan4.Server);
        Assert.Equal(["192.0.2.53"], wan4.DnsServers);
        Assert.True(File.Exists(Path.Combine(lab.StateDirectory, "dhcp4-client-wan0.json")));

        // On wan0 with the lease's lifetime; the subnet route, and no IPv4 default route (IPv4 goes through the tunnel).
        uint valid = ValidLifetime(lab, address);
        Assert.InRange(valid, 1u, 20u);
        Assert.Contains("192.0.2.0/24", NetnsFixture.Ip($"-n {lab.Rtr} -4 route show dev wan0"), StringComparison.Ordinal);
        Assert.Equal(string.Empty, NetnsFixture.Ip($"-n {lab.Rtr} -4 route show default").Trim());

        // The forwarder forwards to the lease's DNS server too.
        RouterStatus withDns = await lab.WaitForStatus(s => s.Dns?.Upstreams.Contains("192.0.2.53") == true, Wait);

        // Renewals (T1 = 4 s) keep extending the address's lifetime: 12 s later it is still there, not run down.
        await Task.Delay(TimeSpan.FromSeconds(12));
        uint later = ValidLifetime(lab, address);
        Assert.True(later > 20 - 12, $"valid_lft {later} s 12 s later: the renewals did not reach the kernel\n{lab.AgentLog()}");
        Assert.Contains("DHCP4_LEASE_ALLOC", hgw.Output(), StringComparison.Ordinal);

        // A restart without --release: the address stays, the new agent confirms the same lease.
        Assert.Equal(0, lab.StopAgent());
        Assert.InRange(ValidLifetime(lab, address), 1u, 20u);
        lab.StartAgent();
        RouterStatus again = await lab.WaitForStatus(s => s.Wan4.SingleOrDefault() is { State: "Bound" } w && w.Address == address && s.AgentPid != bound.AgentPid, Wait);
        Assert.Equal(address, again.Wan4.Single().Address);

        // Stopped with --release: the HGW gets it back and wan0 loses it.
        Assert.Equal(0, lab.StopAgent());
        lab.StartAgent(release: true);
        await lab.WaitForStatus(s => s.Wan4.SingleOrDefault() is { State: "Bound" } w && w.Address == address, Wait);
        Assert.Equal(0, lab.StopAgent());
        Assert.Throws<InvalidOperationException>(() => ValidLifetime(lab, address));
        Assert.True(await hgw.WaitForOutputAsync("DHCP4_RELEASE", TimeSpan.FromSeconds(5)), hgw.Output());
        Assert.False(File.Exists(Path.Combine(lab.StateDirectory, "dhcp4-client-wan0.json")));
        output.WriteLine(lab.AgentLog());
    }

    /// <summary>valid_life_time of <paramref name="cidr"/> on the router's wan0; InvalidOperationException when it is not there.</summary>
    private static uint ValidLifetime(RouterLab lab, string cidr)
    {
        string ip = cidr.Split('/')[0];
        foreach (JsonElement link in lab.IpJson(lab.Rtr, "-4 addr show dev wan0").EnumerateArray())
        {
            foreach (JsonElement a in link.GetProperty("addr_info").EnumerateArray())
            {
                if (a.GetProperty("local").GetString() == ip)
                {
                    return a.GetProperty("valid_life_time").GetUInt32();
                }
            }
        }

        throw new InvalidOperationException($"{cidr} is not on wan0");
    }
}
