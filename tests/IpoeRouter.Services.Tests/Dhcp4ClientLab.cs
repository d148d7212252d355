using System.Net;
using System.Threading.Channels;
using IpoeRouter.Lab;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Protocols.Dhcp4;
using IpoeRouter.Protocols.Wire;
using IpoeRouter.Services.Dhcp4Client;

namespace IpoeRouter.Services.Tests;

/// <summary>Two namespaces (router, HGW) joined by a veth, a DHCPv4 server in the HGW one; all removed on dispose, the server stopped by its pid.</summary>
internal sealed class Dhcp4ClientLab : IDisposable
{
    /// <summary>The router's WAN MAC.</summary>
    public static readonly ByteString Mac = new([0x02, 0x00, 0x5e, 0x00, 0x02, 0x07]);

    private readonly NetnsFixture _rtr = new();
    private readonly NetnsFixture _hgw = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("ipoe-wan4-").FullName;
    private readonly List<IDisposable> _transports = [];
    private uint _xid = 0x4000;

    public Dhcp4ClientLab(Kea4Settings? kea)
    {
        Servers = new HgwDhcp4Servers(_hgw.Name, _dir);
        try
        {
            _rtr.InNs("link set v1 name hgw0");
            _rtr.InNs($"link set hgw0 netns {_hgw.Name}");
            _rtr.InNs($"link set v0 address {Mac}");
            _rtr.InNs("link set v0 up");
            _hgw.InNs("addr add 192.0.2.1/24 dev hgw0");
            _hgw.InNs("link set hgw0 up");
            string ready;
            if (kea is null)
            {
                Servers.StartDnsmasq();
                ready = "DHCP, IP range";
            }
            else
            {
                Servers.StartKea(kea);
                ready = "DHCP4_STARTED";
            }

            if (!Servers.WaitForOutputAsync(ready, TimeSpan.FromSeconds(10)).GetAwaiter().GetResult())
            {
                throw new TimeoutException($"the HGW's DHCPv4 server did not start; it said:\n{Servers.Output()}");
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public HgwDhcp4Servers Servers { get; }

    /// <summary>What our client sent (type, destination), in order.</summary>
    public List<(Dhcp4MessageType Type, IPAddress To)> Sent { get; } = [];

    public string Router(string args) => _rtr.InNs(args);

    /// <summary>Runs <c>ip -n HGW ARGS</c>.</summary>
    public string Hgw(string args) => _hgw.InNs(args);

    /// <summary>The HGW's namespace.</summary>
    public string HgwNamespace => _hgw.Name;

    /// <summary>Writes a sysctl in the router's namespace.</summary>
    public void RouterSysctl(string key, string value) => NetnsFixture.Ip($"netns exec {_rtr.Name} sysctl -qw {key}={value}");

    /// <summary>Reads a sysctl in the router's namespace.</summary>
    public string RouterSysctlValue(string key) => NetnsFixture.Ip($"netns exec {_rtr.Name} sysctl -n {key}").Trim();

    /// <summary>Runs <c>nft</c> in the router's namespace (gone with the namespace).</summary>
    public void RouterNft(string commands)
    {
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("ip", ["netns", "exec", _rtr.Name, "nft", commands]) { RedirectStandardError = true })!;
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"nft {commands} failed: {error}");
        }
    }

    /// <summary>The next lease change, waiting at most <paramref name="within"/> (20 s unless given).</summary>
    public async Task<Dhcp4LeaseChanged> NextChange(Channel<Dhcp4LeaseChanged> changes, TimeSpan? within = null)
    {
        TimeSpan wait = within ?? TimeSpan.FromSeconds(20);
        try
        {
            return await changes.Reader.ReadAsync().AsTask().WaitAsync(wait);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no lease change in {wait.TotalSeconds} s; the server said:\n{Servers.Output()}");
        }
    }

    public (Task Host, Channel<Dhcp4LeaseChanged> Changes, Services.Dhcp4Client.Dhcp4Client Client, CancellationTokenSource Stop) StartClient(Dhcp4Lease? saved, bool releaseOnStop)
    {
        foreach (IDisposable previous in _transports)
        {
            previous.Dispose(); // one client on port 68 at a time, as on a router
        }

        _transports.Clear();
        Dhcp4ClientSockets udp = NetworkNamespace.Named(_rtr.Name).Run(() => Dhcp4ClientSockets.Open("v0"));
        _transports.Add(udp);
        var changes = Channel.CreateUnbounded<Dhcp4LeaseChanged>();
        var client = new Services.Dhcp4Client.Dhcp4Client(new Dhcp4ClientConfig(Mac) { HostName = "ipoe-router" }, Random.Shared.NextDouble, () => Interlocked.Increment(ref _xid));
        var host = new Dhcp4ClientHost(client, new Recording(udp, Sent), TimeProvider.System, async c =>
        {
            Install(c);
            await changes.Writer.WriteAsync(c);
        }, _ => { })
        { ReleaseOnStop = releaseOnStop };
        var stop = new CancellationTokenSource();
        return (host.RunAsync(saved, stop.Token), changes, client, stop);
    }

    public void Dispose()
    {
        foreach (IDisposable t in _transports)
        {
            t.Dispose();
        }

        Servers?.Dispose(); // the server stopped by its pid
        _rtr.Dispose();
        _hgw.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>What the engine does with a lease change: the address with the lease's remaining time, its subnet route (the kernel adds it with the address), never a default route.</summary>
    private void Install(Dhcp4LeaseChanged change)
    {
        if (change.Previous is { } old && (change.Lease is null || !old.Address.Equals(change.Lease.Address)))
        {
            try
            {
                _rtr.InNs($"addr del {old.Address}/{old.PrefixLength} dev v0");
            }
            catch (InvalidOperationException)
            {
                // not installed (a saved lease)
            }
        }

        if (change.Lease is { } lease)
        {
            long seconds = (long)lease.RemainingAt(DateTimeOffset.UtcNow).TotalSeconds;
            _rtr.InNs($"addr replace {lease.Address}/{lease.PrefixLength} dev v0 valid_lft {seconds} preferred_lft {seconds}");
        }
    }

    /// <summary>Passes through to the socket and notes each message's type and destination.</summary>
    private sealed class Recording(IDhcp4ClientTransport inner, List<(Dhcp4MessageType, IPAddress)> sent) : IDhcp4ClientTransport
    {
        public ValueTask SendAsync(ReadOnlyMemory<byte> packet, IPAddress destination, CancellationToken cancellationToken)
        {
            lock (sent)
            {
                sent.Add((Dhcp4Message.Parse(packet.Span).MessageType!.Value, destination));
            }

            return inner.SendAsync(packet, destination, cancellationToken);
        }

        public ValueTask<Dhcp4Frame> ReceiveAsync(byte[] buffer, CancellationToken cancellationToken) => inner.ReceiveAsync(buffer, cancellationToken);

        public void Listen(Dhcp4Listening listening) => inner.Listen(listening);

        public ValueTask SendArpAsync(ReadOnlyMemory<byte> packet, CancellationToken cancellationToken) => inner.SendArpAsync(packet, cancellationToken);

        public void Dispose() => inner.Dispose();
    }
}
