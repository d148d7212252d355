using System.Net;
using System.Net.Sockets;
using IpoeRouter.Protocols.Dhcp4;
using IpoeRouter.Services.Dhcp4Server;
using Xunit;
using static IpoeRouter.Services.Tests.Dhcp4ServerFixture;

namespace IpoeRouter.Services.Tests;

/// <summary>
/// The journal holds the host's decisions in the order they were made, whichever loop made them: a
/// renewal decided right after the expiry of the same lease is replayed after it, so the lease the
/// client was acknowledged comes back bound after a restart. The interleaving is forced with the
/// host's hook between an expiry's decision and the rest of its step, not left to timing.
/// </summary>
public sealed class Dhcp4ServerJournalOrderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "dhcp4-order-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task RenewalDecidedRightAfterTheExpiryOfItsLease_IsReplayedBound()
    {
        string path = Path.Combine(_dir, "dhcp4-lan.leases");
        var log = new List<string>();
        DateTimeOffset lapsed = T0 + Scope.LeaseTime + TimeSpan.FromSeconds(1);
        await using (LeaseJournal journal = LeaseJournal.Open(path))
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0)); // replies to 192.0.2.x cannot leave it; only the decisions matter here
            using Dhcp4ServerHost host = Dhcp4ServerHost.Create(socket, "lan", new ScopeServer(Scope, journal.Table), journal, null, line => { lock (log) { log.Add(line); } });
            var delivered = new List<Dhcp4LeaseChange>();
            host.LeasesChanged = changes => delivered.AddRange(changes);

            host.OnRequest(Discover(1), T0, CancellationToken.None);
            host.OnRequest(Select(1, A(100)), T0, CancellationToken.None);
            await host.DrainAsync();
            Assert.Equal(Dhcp4LeaseState.Bound, journal.Table.FindByAddress(A(100))!.State);

            // The lease lapses; the expiry loop decides so, and before it goes on the client's renewal
            // comes in and is decided (and acknowledged) on the receive loop.
            host.AfterExpiryDecided = () =>
            {
                host.AfterExpiryDecided = null;
                host.OnRequest(Renew(1, A(100)), lapsed, CancellationToken.None);
            };
            host.ExpireDue(lapsed, CancellationToken.None);
            await host.DrainAsync();

            Dhcp4Lease acked = journal.Table.FindByAddress(A(100))!;
            Assert.Equal((Dhcp4LeaseState.Bound, lapsed + Scope.LeaseTime), (acked.State, acked.Expiry));
            Assert.Equal([Dhcp4LeaseState.Bound, Dhcp4LeaseState.Expired, Dhcp4LeaseState.Bound], delivered.Select(c => c.Lease!.State));
        }

        using LeaseJournal replayed = LeaseJournal.Open(path);
        Dhcp4Lease after = replayed.Table.FindByAddress(A(100))!;
        Assert.Equal((Dhcp4LeaseState.Bound, lapsed + Scope.LeaseTime), (after.State, after.Expiry));
    }

    [Fact]
    public async Task EveryDecisionsLeaseIsOnDiskBeforeItIsHandedOn_BurstsShareFsyncs()
    {
        string path = Path.Combine(_dir, "dhcp4-lan.leases");
        await using LeaseJournal journal = LeaseJournal.Open(path);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using Dhcp4ServerHost host = Dhcp4ServerHost.Create(socket, "lan", new ScopeServer(Scope, journal.Table), journal, null, _ => { });
        var onDiskWhenDelivered = new List<bool>();
        host.LeasesChanged = changes =>
        {
            string text = File.ReadAllText(path);
            onDiskWhenDelivered.Add(changes.All(c => text.Contains($"\"address\":\"{c.Address}\"", StringComparison.Ordinal)));
        };

        for (byte client = 1; client <= 8; client++)
        {
            host.OnRequest(Discover(client), T0, CancellationToken.None);
            host.OnRequest(Select(client, A(99 + client)), T0, CancellationToken.None);
        }

        await host.DrainAsync();

        Assert.Equal(8, onDiskWhenDelivered.Count);
        Assert.All(onDiskWhenDelivered, Assert.True);
        Assert.InRange(journal.Flushes, 1, 8);
    }
}
