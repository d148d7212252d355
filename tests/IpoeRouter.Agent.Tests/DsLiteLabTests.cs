using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using IpoeRouter.Engine.Kernel;
using IpoeRouter.Lab;
using IpoeRouter.Linux.Netlink;
using Xunit;
using Xunit.Abstractions;

namespace IpoeRouter.Agent.Tests;

/// <summary>
/// DS-Lite end to end with the published agent: the lab's HGW (radvd, kea, its DNS), an AFTR behind
/// it and an IPv4 internet (<see cref="NgnLab"/>). A LAN host takes DHCPv4 from the agent and reaches
/// 203.0.113.80 by ping and TCP through the tunnel the agent built — its kernel's ip6tnl where the
/// kernel has ip6_tunnel, else the agent's user-space B4 (each test prints which ran).
/// </summary>
public sealed class DsLiteLabTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    /// <summary>lab/router.yaml with a DS-Lite tunnel to <paramref name="remote"/> and IPv4 forwarding.</summary>
    private static string Document(string remote) => RouterLab.Document.Replace("sysctl:\n",
        $"tunnels:\n  - {{ name: ds0, remote: {remote}, local: {{ fromInterface: wan0 }} }}\nsysctl:\n  - {{ name: net.ipv4.ip_forward, value: 1 }}\n", StringComparison.Ordinal);

    private async Task<RouterStatus> StartAsync(RouterLab lab, string remote)
    {
        File.WriteAllText(Path.Combine(lab.Directory, "router.yaml"), Document(remote));
        lab.StartAgent(extra: ["--tunnel-probe-interval", "1"]);
        RouterStatus up = await lab.WaitForStatus(s => s.Tunnels.SingleOrDefault() is { State: "Up" }, Wait);
        TunnelStatus t = up.Tunnels.Single();
        output.WriteLine($"backend {t.Backend} ({t.Reason}); {t.Local} -> {t.Remote}; AFTR: {t.RemoteDetail}; probe {t.ProbeTarget} {t.ProbeRttMs:0.0} ms");
        Assert.Equal(KernelModules.Ip6TunnelAvailable() ? "kernel" : "userspace", t.Backend);
        Assert.Equal(up.Wan.Single().Addresses.First(a => a.Scope == "global").Address, t.Local);
        Assert.Equal(NgnLab.AftrAddress.ToString(), t.Remote);
        Assert.Equal("192.0.0.1", t.ProbeTarget); // the lab AFTR answers RFC 6333's address
        return up;
    }

    /// <summary>The LAN host eth0 takes a DHCPv4 lease from the agent and sets it up with the router it names; returns its address.</summary>
    private static IPAddress LanHostOnline(RouterLab lab)
    {
        string lease = lab.Udhcpc("eth0", "alpha");
        Match m = Regex.Match(lease, @"event=bound ip=(\S+) subnet=\S+ router=(\S+)");
        Assert.True(m.Success, lease);
        NetnsFixture.Ip($"-n {lab.Lan} addr add {m.Groups[1].Value}/24 dev eth0");
        NetnsFixture.Ip($"-n {lab.Lan} route add default via {m.Groups[2].Value}");
        return IPAddress.Parse(m.Groups[1].Value);
    }

    private static string Fetch(RouterLab lab, IPAddress server, int port) => NetworkNamespace.Named(lab.Lan).Run(() =>
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000, SendTimeout = 5000 };
        s.Connect(new IPEndPoint(server, port));
        byte[] buffer = new byte[256];
        int n = s.Receive(buffer);
        return Encoding.ASCII.GetString(buffer, 0, n).Trim();
    });

    [NetnsFact]
    public async Task LanHost_ReachesTheIpv4Internet_ByPingTcpAndName_ThroughTheAftrResolvedByName()
    {
        using var lab = new RouterLab();
        lab.StartHgwDns();
        using var ngn = new NgnLab(lab);
        RouterStatus up = await StartAsync(lab, "{ fqdn: aftr.example }");
        TunnelStatus tunnel = up.Tunnels.Single();
        Assert.Contains("aftr.example AAAA 2001:db8:aa::1 from 2001:db8::53", tunnel.RemoteDetail, StringComparison.Ordinal);

        LanHostOnline(lab);
        using SynWatch syns = SynWatch.Open(ngn.Inet, 8080);
        using InetService service = ngn.Listen(8080);

        string ping = RouterLab.Exec(lab.Lan, "ping", "-n", "-c", "2", "-i", "0.2", "-W", "2", NgnLab.InetHost.ToString());
        Assert.Contains(" 0% packet loss", ping, StringComparison.Ordinal);

        // TCP: the inet host sees the AFTR's public address (the AFTR's NAT, none on the router) ...
        Assert.Equal($"hello {NgnLab.AftrPublic}", Fetch(lab, NgnLab.InetHost, 8080));
        // ... the AFTR saw the router's WAN address as the B4 ...
        Assert.Contains(tunnel.Local!, ngn.AftrLog(), StringComparison.Ordinal);
        // ... and the SYN that arrived was clamped to the tunnel's MTU (1460 - 40).
        int mss = syns.WaitForMss(TimeSpan.FromSeconds(5));
        output.WriteLine($"SYN at the inet host: MSS {mss}");
        Assert.InRange(mss, 536, 1420);

        // A 1,500-byte packet with DF set does not fit the tunnel: the router says so, with its MTU.
        string big = RouterLab.Exec(lab.Lan, "ping", "-n", "-c", "1", "-W", "2", "-M", "do", "-s", "1472", NgnLab.InetHost.ToString());
        output.WriteLine(big);
        Assert.Matches(@"mtu ?= ?1460", big);

        // A name through the agent's forwarder, then the address it gave.
        string answer = RouterLab.Dig(lab.Lan, "+short", "@198.51.100.1", "www.example.com", "A").Trim();
        Assert.Equal(NgnLab.InetHost.ToString(), answer);
        Assert.Equal($"hello {NgnLab.AftrPublic}", Fetch(lab, IPAddress.Parse(answer), 8080));

        RouterStatus after = await lab.WaitForStatus(s => s.Tunnels.Single().PacketsIn > 0, Wait);
        TunnelStatus counted = after.Tunnels.Single();
        output.WriteLine($"out {counted.PacketsOut} packets / {counted.BytesOut} B, in {counted.PacketsIn} / {counted.BytesIn} B, dropped {counted.Dropped}");
        Assert.True(counted.PacketsOut >= 6 && counted.PacketsIn >= 6, $"{counted.PacketsOut} out, {counted.PacketsIn} in");
    }

    [NetnsFact]
    public async Task AftrNameFromDhcpv6Option64_ComesUp_ThenFollowsARenumberedWan_AndALostAftrIsDownThenUpAgain()
    {
        using var lab = new RouterLab();
        lab.StartHgwDns();
        using var ngn = new NgnLab(lab);
        RouterStatus up = await StartAsync(lab, "{ discover: dhcpv6 }");
        Assert.Contains("dslite.example.net AAAA 2001:db8:aa::1", up.Tunnels.Single().RemoteDetail, StringComparison.Ordinal);
        LanHostOnline(lab);
        using InetService service = ngn.Listen(8080);
        Assert.Equal($"hello {NgnLab.AftrPublic}", Fetch(lab, NgnLab.InetHost, 8080));

        // The HGW renumbers the WAN: the old address is deprecated, the tunnel moves to the new one.
        string before = up.Tunnels.Single().Local!;
        lab.RenumberWan("2001:db8:fe::");
        RouterStatus moved = await lab.WaitForStatus(s => s.Tunnels.Single().Local is { } l && l.StartsWith("2001:db8:fe:", StringComparison.Ordinal), Wait);
        output.WriteLine($"local {before} -> {moved.Tunnels.Single().Local}");
        Assert.Equal($"hello {NgnLab.AftrPublic}", Fetch(lab, NgnLab.InetHost, 8080));
        Assert.Contains(moved.Tunnels.Single().Local!, ngn.AftrLog(), StringComparison.Ordinal); // the AFTR learnt the new B4 address

        // The AFTR goes away: the status says down, the LAN side stays; it comes back: up, no human step.
        ngn.StopAftr();
        RouterStatus down = await lab.WaitForStatus(s => s.Tunnels.Single().State == "Down", Wait);
        output.WriteLine($"down: {down.Tunnels.Single().LastError}");
        Assert.NotNull(down.Lans.Single().Prefix);
        ngn.StartAftr();
        await lab.WaitForStatus(s => s.Tunnels.Single().State == "Up", Wait);
        Assert.Equal($"hello {NgnLab.AftrPublic}", Fetch(lab, NgnLab.InetHost, 8080));
    }
}

/// <summary>
/// Watches TCP SYNs arriving in a namespace for one port (a raw IPv4 TCP socket there sees a copy of
/// every TCP segment) and reads the MSS option each carries.
/// </summary>
internal sealed class SynWatch : IDisposable
{
    private readonly Socket _socket;
    private readonly int _port;

    private SynWatch(Socket socket, int port) => (_socket, _port) = (socket, port);

    public static SynWatch Open(string ns, int port) =>
        new(NetworkNamespace.Named(ns).Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Tcp) { ReceiveTimeout = 500 }), port);

    /// <summary>The MSS of the first SYN to the port within <paramref name="timeout"/>.</summary>
    public int WaitForMss(TimeSpan timeout)
    {
        byte[] buffer = new byte[2048];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            int n;
            try
            {
                n = _socket.Receive(buffer);
            }
            catch (SocketException)
            {
                continue;
            }

            if (MssOfSyn(buffer.AsSpan(0, n), _port) is { } mss)
            {
                return mss;
            }
        }

        throw new TimeoutException($"no SYN to port {_port} within {timeout}");
    }

    /// <summary>The MSS option of an IPv4 packet that is a SYN (not a SYN-ACK) to <paramref name="port"/>, else null.</summary>
    internal static int? MssOfSyn(ReadOnlySpan<byte> ip, int port)
    {
        if (ip.Length < 20 || ip[0] >> 4 != 4 || ip[9] != 6)
        {
            return null;
        }

        ReadOnlySpan<byte> tcp = ip[((ip[0] & 0x0f) * 4)..];
        if (tcp.Length < 20 || BinaryPrimitives.ReadUInt16BigEndian(tcp[2..]) != port || (tcp[13] & 0x12) != 0x02)
        {
            return null;
        }

        int headerLength = (tcp[12] >> 4) * 4;
        for (int i = 20; i < headerLength && i < tcp.Length;)
        {
            byte kind = tcp[i];
            if (kind == 0)
            {
                break;
            }

            if (kind == 1)
            {
                i++;
                continue;
            }

            if (i + 1 >= tcp.Length || tcp[i + 1] < 2)
            {
                break;
            }

            if (kind == 2 && tcp[i + 1] == 4 && i + 4 <= tcp.Length)
            {
                return BinaryPrimitives.ReadUInt16BigEndian(tcp[(i + 2)..]);
            }

            i += tcp[i + 1];
        }

        return null;
    }

    public void Dispose() => _socket.Dispose();
}
