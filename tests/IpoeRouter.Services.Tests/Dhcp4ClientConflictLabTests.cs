using System.Net;
using IpoeRouter.Lab;
using IpoeRouter.Protocols.Dhcp4;
using IpoeRouter.Services.Dhcp4Client;
using Xunit;

namespace IpoeRouter.Services.Tests;

/// <summary>
/// The WAN DHCPv4 client against dnsmasq when another host on the WAN link already uses the address
/// the server hands out: the client's ARP probe finds it, it sends DECLINE (dnsmasq logs DHCPDECLINE),
/// and after ten seconds it takes a different address.
/// </summary>
public sealed class Dhcp4ClientConflictLabTests
{
    private static readonly IPNetwork s_subnet = IPNetwork.Parse("192.0.2.0/24");

    [NetnsFact]
    public async Task OfferedAddressHeldByAnotherHost_IsDeclined_AndAnotherAddressTaken()
    {
        using var lab = new Dhcp4ClientLab(kea: null);

        // dnsmasq offers a client the address its MAC hashes to: learn it with a first lease, given back.
        var first = lab.StartClient(saved: null, releaseOnStop: true);
        IPAddress taken = (await lab.NextChange(first.Changes)).Lease!.Address;
        await first.Stop.CancelAsync();
        await first.Host.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Dhcp4LeaseChangeReason.Released, (await lab.NextChange(first.Changes)).Reason);
        Assert.True(await Eventually(() => lab.Servers.Output().Contains("DHCPRELEASE", StringComparison.Ordinal)), lab.Servers.Output());

        // Another host on the WAN link takes that address: a macvlan of the HGW's port in a namespace of its own.
        using var squatter = new NetnsFixture();
        lab.Hgw("link add sq0 link hgw0 type macvlan mode bridge");
        lab.Hgw($"link set sq0 netns {squatter.Name}");
        squatter.InNs($"addr add {taken}/24 dev sq0");
        squatter.InNs("link set sq0 up");
        lock (lab.Sent)
        {
            lab.Sent.Clear();
        }

        var second = lab.StartClient(saved: null, releaseOnStop: true);
        Dhcp4LeaseChanged bound = await lab.NextChange(second.Changes, TimeSpan.FromSeconds(60)); // probe, DECLINE, 10 s, a new exchange and its probe

        Assert.Equal(Dhcp4LeaseChangeReason.Acquired, bound.Reason);
        Assert.NotEqual(taken, bound.Lease!.Address);
        Assert.True(InPool(bound.Lease.Address), $"{bound.Lease.Address} is not in 192.0.2.100-150");
        lock (lab.Sent)
        {
            Assert.Contains((Dhcp4MessageType.Decline, IPAddress.Broadcast), lab.Sent);
        }

        Assert.True(await Eventually(() => lab.Servers.Output().Contains($"DHCPDECLINE(hgw0) {taken}", StringComparison.Ordinal)),
            $"dnsmasq logged no DHCPDECLINE for {taken}; it said:\n{lab.Servers.Output()}");
        Assert.DoesNotContain($"{taken}/", lab.Router("-4 addr show dev v0"), StringComparison.Ordinal); // never used
        await second.Stop.CancelAsync();
        await second.Host.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static bool InPool(IPAddress a)
    {
        byte[] b = a.GetAddressBytes();
        return s_subnet.Contains(a) && b[3] is >= 100 and <= 150;
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
