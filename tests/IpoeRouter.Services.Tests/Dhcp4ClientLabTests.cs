using System.Net;
using System.Threading.Channels;
using IpoeRouter.Lab;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Protocols.Dhcp4;
using IpoeRouter.Protocols.Wire;
using IpoeRouter.Services.Dhcp4Client;
using Xunit;

namespace IpoeRouter.Services.Tests;

/// <summary>
/// The WAN DHCPv4 client on a real UDP socket in a router namespace against the HGW's server in an
/// HGW namespace, over a veth: dnsmasq 2.90 or kea-dhcp4 2.2, each handing out 192.0.2.100–150/24
/// with DNS 192.0.2.53. The test plays the engine: on each lease change it installs (or removes) the
/// address with <c>ip addr replace</c>, which also gives the on-link subnet route, and no default route.
/// </summary>
public sealed class Dhcp4ClientLabTests
{
    private static readonly IPNetwork s_subnet = IPNetwork.Parse("192.0.2.0/24");

    [NetnsFact]
    public async Task Dnsmasq_GivesALeaseWithDns_AndReleaseRemovesItFromTheLeaseFile()
    {
        using var lab = new Dhcp4ClientLab(kea: null);
        var run = lab.StartClient(saved: null, releaseOnStop: true);

        Dhcp4LeaseChanged bound = await lab.NextChange(run.Changes);
        Dhcp4Lease lease = bound.Lease!;
        Assert.Equal(Dhcp4LeaseChangeReason.Acquired, bound.Reason);
        Assert.True(InPool(lease.Address), $"{lease.Address} is not in 192.0.2.100-150");
        Assert.Equal(24, lease.PrefixLength);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), lease.ServerId);
        Assert.Equal([IPAddress.Parse("192.0.2.53")], lease.DnsServers);
        Assert.Equal("hgw.example", lease.DomainName);
        Assert.Equal(TimeSpan.FromSeconds(120), lease.LeaseTime);
        Assert.True(await Eventually(() => File.ReadAllText(lab.Servers.DnsmasqLeaseFile).Contains(lease.Address.ToString(), StringComparison.Ordinal)), "dnsmasq wrote no lease"); // written around the ACK, not necessarily before it
        Assert.DoesNotContain("default", lab.Router("-4 route show"), StringComparison.Ordinal);

        await run.Stop.CancelAsync();
        await run.Host.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Dhcp4LeaseChangeReason.Released, (await lab.NextChange(run.Changes)).Reason);
        Assert.Equal(Dhcp4ClientState.Stopped, run.Client.State);
        Assert.True(await Eventually(() => !File.ReadAllText(lab.Servers.DnsmasqLeaseFile).Contains(lease.Address.ToString(), StringComparison.Ordinal)), $"dnsmasq kept the lease; it said:\n{lab.Servers.Output()}");
        // dnsmasq's log is read from its pipe as it comes: the line may arrive after the lease file changed.
        Assert.True(await Eventually(() => lab.Servers.Output().Contains("DHCPRELEASE", StringComparison.Ordinal)), $"dnsmasq logged no DHCPRELEASE; it said:\n{lab.Servers.Output()}");
    }

    [NetnsTheory]
    [InlineData("dnsmasq")]
    [InlineData("kea")]
    public async Task StrictReversePathFilterOnEveryInterface_StillBinds(string server)
    {
        using var lab = new Dhcp4ClientLab(server == "kea" ? new Kea4Settings() : null);
        // As examples/flets-transix-hgw.yaml sets it: the server's OFFER comes from 192.0.2.1, to which the
        // unconfigured router has no route yet, so strict rp_filter drops it before any UDP socket sees it.
        foreach (string conf in new[] { "all", "default", "lo", "v0" })
        {
            lab.RouterSysctl($"net.ipv4.conf.{conf}.rp_filter", "1");
        }

        var run = lab.StartClient(saved: null, releaseOnStop: true);

        Dhcp4LeaseChanged bound = await lab.NextChange(run.Changes);
        Assert.Equal(Dhcp4LeaseChangeReason.Acquired, bound.Reason);
        Assert.True(InPool(bound.Lease!.Address), $"{bound.Lease.Address} is not in 192.0.2.100-150");
        Assert.Equal("1", lab.RouterSysctlValue("net.ipv4.conf.v0.rp_filter"));
        await run.Stop.CancelAsync();
        await run.Host.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Dhcp4LeaseChangeReason.Released, (await lab.NextChange(run.Changes)).Reason);
    }

    [NetnsFact]
    public async Task Kea_GivesALease_RenewsByUnicastAtT1_AndReleaseEndsTheLease()
    {
        using var lab = new Dhcp4ClientLab(new Kea4Settings(Renew: 10, Rebind: 15, Valid: 30));
        var run = lab.StartClient(saved: null, releaseOnStop: true);

        Dhcp4Lease lease = (await lab.NextChange(run.Changes)).Lease!;
        Assert.True(InPool(lease.Address), $"{lease.Address} is not in 192.0.2.100-150");
        Assert.Equal(24, lease.PrefixLength);
        Assert.Equal([IPAddress.Parse("192.0.2.53")], lease.DnsServers);
        Assert.Equal([IPAddress.Parse("192.0.2.1")], lease.Routers);
        Assert.Equal(TimeSpan.FromSeconds(10), lease.T1);
        Assert.Equal(TimeSpan.FromSeconds(15), lease.T2);
        Assert.Contains($"{lease.Address}/24", lab.Router("-4 addr show dev v0"), StringComparison.Ordinal);
        Assert.Contains("192.0.2.0/24 dev v0", lab.Router("-4 route show"), StringComparison.Ordinal);
        Assert.DoesNotContain("default", lab.Router("-4 route show"), StringComparison.Ordinal);

        Dhcp4LeaseChanged renewed = await lab.NextChange(run.Changes); // at T1 = 10 s, unicast to kea
        Assert.Equal(Dhcp4LeaseChangeReason.Extended, renewed.Reason);
        Assert.Equal(lease.Address, renewed.Lease!.Address);
        Assert.True(renewed.Lease.Acquired >= lease.Acquired + TimeSpan.FromSeconds(9), $"renewed at {renewed.Lease.Acquired - lease.Acquired}");
        Assert.Contains((Dhcp4MessageType.Request, IPAddress.Parse("192.0.2.1")), lab.Sent);

        await run.Stop.CancelAsync();
        await run.Host.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Dhcp4LeaseChangeReason.Released, (await lab.NextChange(run.Changes)).Reason);
        Assert.True(await Eventually(() => lab.Servers.Output().Contains("DHCP4_RELEASE ", StringComparison.Ordinal)), $"kea saw no release; it said:\n{lab.Servers.Output()}");
        Assert.True(await Eventually(() => KeaLeaseEnded(lab.Servers.KeaLeaseFile, lease.Address)), $"kea's lease file still holds {lease.Address}:\n{File.ReadAllText(lab.Servers.KeaLeaseFile)}");
    }

    [NetnsFact]
    public async Task Kea_UnicastRenewsLost_RebindsByBroadcastAtT2()
    {
        // T1 and T2 count from the REQUEST; the ARP probe of the new address takes up to 6.5 s of that.
        using var lab = new Dhcp4ClientLab(new Kea4Settings(Renew: 8, Rebind: 12, Valid: 30));
        var run = lab.StartClient(saved: null, releaseOnStop: false);
        Dhcp4Lease lease = (await lab.NextChange(run.Changes)).Lease!;

        // The router's unicasts to the HGW's server port vanish (a firewall on the way): RENEW gets no answer.
        lab.RouterNft("add table ip lab; add chain ip lab out { type filter hook output priority 0; }; add rule ip lab out ip daddr 192.0.2.1 udp dport 67 drop");
        Dhcp4LeaseChanged rebound = await lab.NextChange(run.Changes);

        Assert.Equal(Dhcp4LeaseChangeReason.Extended, rebound.Reason);
        Assert.Equal(lease.Address, rebound.Lease!.Address);
        Assert.True(rebound.Lease.Acquired >= lease.Acquired + TimeSpan.FromSeconds(11.5), $"extended {rebound.Lease.Acquired - lease.Acquired} after the first lease, before T2");
        var after = lab.Sent.Skip(2).ToList(); // after DISCOVER and REQUEST
        Assert.Equal([(Dhcp4MessageType.Request, IPAddress.Parse("192.0.2.1")), (Dhcp4MessageType.Request, IPAddress.Broadcast)], after);
        await run.Stop.CancelAsync();
        await run.Host.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [NetnsTheory]
    [InlineData("dnsmasq")]
    [InlineData("kea")]
    public async Task RestartWithTheSavedLease_InitReboots_AndKeepsTheSameAddress(string server)
    {
        using var lab = new Dhcp4ClientLab(server == "kea" ? new Kea4Settings() : null);
        var first = lab.StartClient(saved: null, releaseOnStop: false);
        Dhcp4Lease lease = (await lab.NextChange(first.Changes)).Lease!;
        await first.Stop.CancelAsync();
        await first.Host.WaitAsync(TimeSpan.FromSeconds(10));
        Dhcp4Lease saved = Dhcp4ClientLeaseFile.Deserialize(Dhcp4ClientLeaseFile.Serialize(lease), "lab");
        lab.Sent.Clear();

        var second = lab.StartClient(saved, releaseOnStop: true);
        Dhcp4LeaseChanged confirmed = await lab.NextChange(second.Changes);

        Assert.Equal(Dhcp4LeaseChangeReason.Confirmed, confirmed.Reason);
        Assert.Equal(lease.Address, confirmed.Lease!.Address);
        Assert.Equal([(Dhcp4MessageType.Request, IPAddress.Broadcast)], lab.Sent); // INIT-REBOOT: no DISCOVER
        await second.Stop.CancelAsync();
        await second.Host.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [NetnsTheory]
    [InlineData("dnsmasq")]
    [InlineData("kea")]
    public async Task SavedLeaseFromAnotherNetwork_IsRefusedByNak_AndANewLeaseAcquired(string server)
    {
        using var lab = new Dhcp4ClientLab(server == "kea" ? new Kea4Settings() : null);
        var saved = new Dhcp4Lease(IPAddress.Parse("198.51.100.7"), 24, IPAddress.Parse("198.51.100.1"), [], [], null,
            TimeSpan.FromSeconds(3600), TimeSpan.FromSeconds(1800), TimeSpan.FromSeconds(3150), DateTimeOffset.UtcNow);
        var run = lab.StartClient(saved, releaseOnStop: true);

        Dhcp4LeaseChanged refused = await lab.NextChange(run.Changes);
        Assert.Equal(Dhcp4LeaseChangeReason.Refused, refused.Reason);
        Assert.Equal(saved, refused.Previous);
        Dhcp4LeaseChanged acquired = await lab.NextChange(run.Changes); // DISCOVER after the NAK delay of 1 s
        Assert.Equal(Dhcp4LeaseChangeReason.Acquired, acquired.Reason);
        Assert.True(InPool(acquired.Lease!.Address), $"{acquired.Lease.Address} is not in 192.0.2.100-150");
        await run.Stop.CancelAsync();
        await run.Host.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [NetnsFact]
    public void ClientPortHeldByAnotherSocket_IsReportedWithTheHoldersNameAndPid()
    {
        using var ns = new NetnsFixture();
        ns.InNs("link set v0 up");
        NetworkNamespace netns = NetworkNamespace.Named(ns.Name);
        using var squatter = netns.Run(() =>
        {
            var s = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
            s.Bind(new IPEndPoint(IPAddress.Any, Dhcp4ClientSockets.ClientPort));
            return s;
        });

        var e = Assert.Throws<IpoeRouter.Services.Hosting.PortInUseException>(() => netns.Run(() => Dhcp4ClientSockets.Open("v0")));

        string self = File.ReadAllText("/proc/self/comm").Trim();
        Assert.Contains($"UDP 68) on v0 is held by {self} (pid {Environment.ProcessId})", e.Message);
    }

    private static bool InPool(IPAddress a)
    {
        byte[] b = a.GetAddressBytes();
        return s_subnet.Contains(a) && b[3] is >= 100 and <= 150;
    }

    /// <summary>kea's memfile CSV (address,hwaddr,client_id,valid_lifetime,expire,...) is appended to: the last row for the address says the lease is gone (valid lifetime 0) after a release.</summary>
    private static bool KeaLeaseEnded(string file, IPAddress address)
    {
        string? last = File.ReadLines(file).LastOrDefault(l => l.StartsWith(address + ",", StringComparison.Ordinal));
        return last is not null && last.Split(',')[3] == "0";
    }

    private static async Task<bool> Eventually(Func<bool> condition)
    {
        for (int i = 0; i < 50; i++)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }
}
