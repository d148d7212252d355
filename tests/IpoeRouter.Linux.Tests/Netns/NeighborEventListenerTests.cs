using System.Diagnostics;
using System.Net;
using IpoeRouter.Lab;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Linux.Rtnl;
using Xunit;

namespace IpoeRouter.Linux.Tests.Netns;

/// <summary>
/// The neighbour listener against the real kernel: an entry made with <c>ip neigh</c> arrives with
/// its address, link and MAC; a quiet table gives nothing until the timeout; a stop ends a blocked receive at once.
/// </summary>
public sealed class NeighborEventListenerTests
{
    [NetnsFact]
    public void EntryMadeByHand_ArrivesWithAddressIndexAndMac_AndAQuietTableGivesNothing()
    {
        using var ns = new NetnsFixture();
        ns.InNs("link set v0 up");
        int v0 = new LinkOps(ns.Socket).Dump().Single(l => l.Name == "v0").Index;
        using var listener = NeighborEventListener.Open(NetworkNamespace.Named(ns.Name), TimeSpan.FromMilliseconds(300));

        Assert.Empty(listener.Receive()); // nothing changed: the timeout passes with no entry

        ns.InNs("-6 neigh add 2001:db8:1::7 lladdr 02:00:5e:00:53:07 dev v0 nud permanent");
        var heard = new List<NeighborInfo?>();
        var clock = Stopwatch.StartNew();
        while (!heard.Any(n => n?.Address.Equals(IPAddress.Parse("2001:db8:1::7")) == true) && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            heard.AddRange(listener.Receive());
        }

        NeighborInfo entry = Assert.Single(heard.OfType<NeighborInfo>(), n => n.Address.Equals(IPAddress.Parse("2001:db8:1::7")));
        Assert.Equal(v0, entry.Index);
        Assert.Equal("02005E005307", Convert.ToHexString(entry.HardwareAddress));
    }

    [NetnsFact]
    public void Stop_EndsABlockedReceiveAtOnce()
    {
        using var ns = new NetnsFixture();
        using var listener = NeighborEventListener.Open(NetworkNamespace.Named(ns.Name), TimeSpan.FromMinutes(5));
        var clock = Stopwatch.StartNew();
        Task<IReadOnlyList<NeighborInfo?>> receive = Task.Factory.StartNew(listener.Receive, TaskCreationOptions.LongRunning);
        Thread.Sleep(200);
        listener.Stop();
        Assert.True(receive.Wait(TimeSpan.FromSeconds(5)), "the receive did not end after Stop");
        Assert.Empty(receive.Result);
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1));
    }
}
