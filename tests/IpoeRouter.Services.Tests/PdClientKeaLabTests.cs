using System.Net;
using System.Threading.Channels;
using IpoeRouter.Lab;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Protocols.Dhcp6;
using IpoeRouter.Protocols.Wire;
using IpoeRouter.Services.Dhcp6PdClient;
using Xunit;

namespace IpoeRouter.Services.Tests;

/// <summary>
/// The PD client on a real UDP socket in a router namespace against kea-dhcp6 2.2 in an HGW
/// namespace, over a veth: kea delegates /60s out of 2001:db8:1200::/48. DAD is off on the HGW's end
/// (lab infrastructure); the router's end runs DAD and the client waits for its link-local address.
/// </summary>
public sealed class PdClientKeaLabTests
{
    private static readonly IPNetwork s_pool = IPNetwork.Parse("2001:db8:1200::/48");

    [NetnsFact]
    public async Task Client_GetsA60FromKea_WithDnsAndAftrName_AndReleasesIt()
    {
        using var lab = new KeaLab();
        var (host, changes, client, stop) = lab.StartClient(saved: null, releaseOnStop: true);

        PdLeaseChanged bound = await NextChange(changes, lab);
        LeasedPrefix prefix = bound.Lease!.Prefixes.Single();
        Assert.Equal(60, prefix.Length);
        Assert.True(s_pool.Contains(prefix.Prefix), $"{prefix} is not from {s_pool}");
        Assert.Equal(TimeSpan.FromSeconds(14400), prefix.Valid);
        Assert.Equal(TimeSpan.FromSeconds(7200), bound.Lease.T1);
        Assert.Equal([IPAddress.Parse("2001:db8::53")], bound.Lease.DnsServers);
        Assert.Equal("dslite.example.net", bound.Lease.AftrName);

        await stop.CancelAsync();
        await host.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(PdState.Stopped, client.State); // kea answered the Release
    }

    [NetnsFact]
    public async Task Restart_WithTheSavedLease_RebindsAndKeepsTheSamePrefix()
    {
        using var lab = new KeaLab();
        var first = lab.StartClient(saved: null, releaseOnStop: false);
        PdLease lease = (await NextChange(first.Changes, lab)).Lease!;
        await first.Stop.CancelAsync();
        await first.Host.WaitAsync(TimeSpan.FromSeconds(10));
        PdClientRecord saved = PdLeaseFile.Deserialize(PdLeaseFile.Serialize(new PdClientRecord(KeaLab.ClientId, lease)), "lab");

        var second = lab.StartClient(saved.Lease, releaseOnStop: true);
        PdLeaseChanged kept = await NextChange(second.Changes, lab); // reported at once from the file
        PdLeaseChanged confirmed = await NextChange(second.Changes, lab); // kea's answer to the Rebind

        Assert.Equal(lease.Prefixes.Select(p => p.ToString()), kept.Lease!.Prefixes.Select(p => p.ToString()));
        Assert.Equal(lease.Prefixes.Select(p => p.ToString()), confirmed.Lease!.Prefixes.Select(p => p.ToString()));
        Assert.Empty(confirmed.Withdrawn);
        Assert.Equal(PdState.Bound, second.Client.State);
        Assert.Contains(Dhcp6MessageType.Rebind, lab.Sent);
        Assert.DoesNotContain(Dhcp6MessageType.Solicit, lab.Sent.Skip(lab.Sent.IndexOf(Dhcp6MessageType.Rebind)));
        await second.Stop.CancelAsync();
        await second.Host.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [NetnsFact]
    public async Task HgwPrefixChange_NextRenewBringsTheNewPrefix_AndWithdrawsTheOld()
    {
        using var lab = new KeaLab(renew: 2, rebind: 4);
        var (host, changes, _, stop) = lab.StartClient(saved: null, releaseOnStop: false);
        LeasedPrefix old = (await NextChange(changes, lab)).Lease!.Prefixes.Single();
        Assert.True(s_pool.Contains(old.Prefix), $"{old} is not from {s_pool}");

        await lab.ChangePoolAsync("2001:db8:3400::");
        PdLeaseChanged changed = await NextChange(changes, lab); // at T1 = 2 s

        LeasedPrefix now = changed.Lease!.Prefixes.Single();
        Assert.True(IPNetwork.Parse("2001:db8:3400::/48").Contains(now.Prefix), $"{now} is not from the new pool");
        Assert.Equal([old.ToString()], changed.Withdrawn.Select(p => p.ToString()));
        Assert.Contains(Dhcp6MessageType.Renew, lab.Sent);
        await stop.CancelAsync();
        await host.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [NetnsFact]
    public void ClientPortHeldByAnotherSocket_IsReportedWithTheHoldersNameAndPid()
    {
        using var ns = new NetnsFixture();
        ns.InNs("link set v0 up");
        int ifindex = ns.Json("link show v0")[0].GetProperty("ifindex").GetInt32();
        NetworkNamespace netns = NetworkNamespace.Named(ns.Name);
        using var squatter = netns.Run(() =>
        {
            var s = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetworkV6, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
            s.Bind(new IPEndPoint(IPAddress.IPv6Any, UdpDhcp6ClientTransport.ClientPort));
            return s;
        });

        var e = Assert.Throws<IpoeRouter.Services.Hosting.PortInUseException>(() => netns.Run(() => UdpDhcp6ClientTransport.Open("v0", ifindex)));

        string self = File.ReadAllText("/proc/self/comm").Trim();
        Assert.Contains($"UDP 546) on v0 is held by {self} (pid {Environment.ProcessId})", e.Message);
    }

    private static async Task<PdLeaseChanged> NextChange(Channel<PdLeaseChanged> changes, KeaLab lab)
    {
        try
        {
            return await changes.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no lease from kea in 20 s; kea said:\n{lab.KeaOutput()}");
        }
    }

    /// <summary>Two namespaces (router, HGW) joined by a veth, kea-dhcp6 in the HGW one; all removed on dispose, kea stopped by its pid.</summary>
    private sealed class KeaLab : IDisposable
    {
        public static readonly Duid ClientId = new DuidLl(DuidLl.Ethernet, new ByteString([0x02, 0x00, 0x0d, 0xb8, 0x00, 0x01]));

        private readonly NetnsFixture _rtr = new();
        private readonly NetnsFixture _hgw = new();
        private readonly string _dir = Directory.CreateTempSubdirectory("ipoe-kea-").FullName;
        private readonly HgwServers _servers;
        private readonly List<IDisposable> _transports = [];
        private int _xid = 0x1000;

        public KeaLab(int renew = 7200, int rebind = 11520)
        {
            _servers = new HgwServers(_hgw.Name, _dir);
            try
            {
                _rtr.InNs("link set v1 name hgw0");
                _rtr.InNs($"link set hgw0 netns {_hgw.Name}");
                Sysctl(_hgw.Name, "net.ipv6.conf.hgw0.accept_dad", "0");
                _rtr.InNs("link set v0 up");
                _hgw.InNs("addr add 2001:db8:ff::1/64 dev hgw0 nodad");
                _hgw.InNs("link set hgw0 up");
                _servers.StartKea(new KeaSettings(renew, rebind));
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        /// <summary>The types of the messages our client sent, in order.</summary>
        public List<Dhcp6MessageType> Sent { get; } = [];

        public string KeaOutput() => _servers.Output();

        public (Task Host, Channel<PdLeaseChanged> Changes, PdClient Client, CancellationTokenSource Stop) StartClient(PdLease? saved, bool releaseOnStop)
        {
            foreach (IDisposable previous in _transports)
            {
                previous.Dispose(); // one client on port 546 at a time, as on a router
            }

            _transports.Clear();
            int ifindex = _rtr.Json("link show v0")[0].GetProperty("ifindex").GetInt32();
            new IpoeRouter.Linux.Rtnl.AddressOps(_rtr.Socket).WaitForLinkLocal(ifindex, "v0", TimeSpan.FromSeconds(10)); // as the agent must
            UdpDhcp6ClientTransport udp = NetworkNamespace.Named(_rtr.Name).Run(() => UdpDhcp6ClientTransport.Open("v0", ifindex));
            _transports.Add(udp);
            var transport = new Recording(udp, Sent);
            var changes = Channel.CreateUnbounded<PdLeaseChanged>();
            var client = new PdClient(new PdClientConfig(ClientId, 1, 60) { FirstSolicitMaxDelay = TimeSpan.Zero }, Random.Shared.NextDouble, () => Interlocked.Increment(ref _xid));
            var host = new PdClientHost(client, transport, TimeProvider.System, c => changes.Writer.WriteAsync(c), _ => { }) { ReleaseOnStop = releaseOnStop };
            var stop = new CancellationTokenSource();
            return (host.RunAsync(saved, stop.Token), changes, client, stop);
        }

        /// <summary>Moves the PD pool to <paramref name="pool"/>/48 and reloads kea (the HGW got a new prefix from the NGN).</summary>
        public Task ChangePoolAsync(string pool) => _servers.ChangePoolAsync(pool);

        public void Dispose()
        {
            foreach (IDisposable t in _transports)
            {
                t.Dispose();
            }

            _servers?.Dispose(); // kea stopped by its pid
            _rtr.Dispose();
            _hgw.Dispose();
            Directory.Delete(_dir, recursive: true);
        }

        private static void Sysctl(string ns, string key, string value) =>
            new IpoeRouter.Linux.Sysctl.SysctlAccess(NetworkNamespace.Named(ns)).Write(key.Replace('.', '/'), value);

        /// <summary>Passes through to the socket and notes the type of every message our client sends.</summary>
        private sealed class Recording(IDhcp6ClientTransport inner, List<Dhcp6MessageType> sent) : IDhcp6ClientTransport
        {
            public ValueTask SendAsync(ReadOnlyMemory<byte> packet, CancellationToken cancellationToken)
            {
                lock (sent)
                {
                    sent.Add((Dhcp6MessageType)packet.Span[0]);
                }

                return inner.SendAsync(packet, cancellationToken);
            }

            public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) => inner.ReceiveAsync(buffer, cancellationToken);

            public void Dispose() => inner.Dispose();
        }
    }
}
