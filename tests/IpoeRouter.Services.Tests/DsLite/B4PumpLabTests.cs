using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using IpoeRouter.Lab;
using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Linux.RawIp;
using IpoeRouter.Services.DsLite;
using Xunit;

namespace IpoeRouter.Services.Tests.DsLite;

/// <summary>The B4 pump against the lab AFTR in <see cref="DsLiteLab"/>'s four namespaces.</summary>
public sealed class B4PumpLabTests
{
    [NetnsFact]
    public void Pump_CarriesPingAndTcp_AndTheInetHostSeesTheAftrsMasqueradedAddress()
    {
        using var lab = new DsLiteLab();

        var fromLan = DsLiteLab.Ping(lab.Lan, DsLiteLab.InetHost, count: 3);
        Assert.True(fromLan.ExitCode == 0, fromLan.Output);
        var fromB4 = DsLiteLab.Ping(lab.B4, DsLiteLab.InetHost); // the router's own traffic, from 192.0.0.2
        Assert.True(fromB4.ExitCode == 0, fromB4.Output);
        lab.WaitForAftrLog($"learned B4 {DsLiteLab.B4Address}", TimeSpan.FromSeconds(2));

        using Socket listener = NetworkNamespace.Named(lab.Inet).Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        listener.Bind(new IPEndPoint(DsLiteLab.InetHost, 5001));
        listener.Listen(1);
        byte[] upload = RandomNumberGenerator.GetBytes(1 << 20);
        IPEndPoint? peer = null;
        var server = Task.Run(() =>
        {
            using Socket accepted = listener.Accept();
            peer = (IPEndPoint)accepted.RemoteEndPoint!;
            byte[] received = ReadExactly(accepted, upload.Length);
            accepted.Send(SHA256.HashData(received)); // the digest back, then 1 MB the other way
            accepted.Send(received);
        });

        using Socket client = NetworkNamespace.Named(lab.Lan).Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        client.ReceiveTimeout = 10_000;
        client.SendTimeout = 10_000;
        using (var connect = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            client.ConnectAsync(new IPEndPoint(DsLiteLab.InetHost, 5001), connect.Token).AsTask().Wait();
        }

        client.Send(upload);
        Assert.Equal(SHA256.HashData(upload), ReadExactly(client, 32));
        Assert.Equal(upload, ReadExactly(client, upload.Length));
        Assert.True(server.Wait(TimeSpan.FromSeconds(10)));
        Assert.Equal(DsLiteLab.AftrPublic, peer!.Address); // masqueraded by the AFTR, not the LAN host's 198.51.100.10

        B4Counters c = lab.Pump.Counters;
        Assert.True(c.BytesToAftr > upload.Length && c.BytesFromAftr > upload.Length, $"{c}");
        Assert.True(c.PacketsToAftr >= 5 && c.PacketsFromAftr >= 5, $"{c}");
        Assert.Equal(0, c.DroppedNoPath + c.DroppedNotIpv4FromTun + c.DroppedNotIpv4FromAftr + c.DroppedWrongSource + c.DroppedTunWriteError);

        // Offloads at work (the default): a read brought several segments of the upload (TSO), a write carried
        // several of the download (GRO); the ping packets count one each.
        Assert.True(c.TunReads < c.PacketsToAftr / 2, $"TSO: {c.TunReads} reads for {c.PacketsToAftr} packets");
        Assert.True(c.TunWrites < c.PacketsFromAftr / 2, $"GRO: {c.TunWrites} writes for {c.PacketsFromAftr} packets");
    }

    [NetnsFact]
    public void Ipip_FromAnotherIpv6Source_NeverReachesTheTun_FromTheAftr_ItDoes_UnlessItIsNotIpv4()
    {
        using var lab = new DsLiteLab();
        IPAddress rogue = IPAddress.Parse("2001:db8:4::bad");
        lab.InAftr($"addr add {rogue}/64 dev b4side nodad");
        using Socket listener = NetworkNamespace.Named(lab.B4).Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        listener.Bind(new IPEndPoint(IPAddress.Parse("192.0.0.2"), 9999));
        listener.ReceiveTimeout = 500;
        byte[] packet = UdpPacket(DsLiteLab.InetHost, IPAddress.Parse("192.0.0.2"), 4000, 9999, "softwire"u8.ToArray());
        long unknownBefore = DsLiteLab.Snmp6(lab.B4, "Ip6InUnknownProtos");
        long fromAftrBefore = lab.Pump.Counters.PacketsFromAftr;

        SendIpip(lab.Aftr, rogue, packet);

        Assert.Null(TryReceive(listener));
        Assert.Equal(fromAftrBefore, lab.Pump.Counters.PacketsFromAftr);
        Assert.Equal(unknownBefore + 1, DsLiteLab.Snmp6(lab.B4, "Ip6InUnknownProtos")); // the kernel had nobody for it: the socket is connected to the AFTR

        // The same packet from the AFTR's address is delivered (so the silence above was the filter, not the lab).
        SendIpip(lab.Aftr, DsLiteLab.AftrAddress, packet);
        Assert.Equal("softwire"u8.ToArray(), TryReceive(listener));
        // The pump counts after its TUN write returns, which can be after the kernel delivered the packet.
        WaitUntil(() => lab.Pump.Counters.PacketsFromAftr == fromAftrBefore + 1, TimeSpan.FromSeconds(2));
        Assert.Equal(fromAftrBefore + 1, lab.Pump.Counters.PacketsFromAftr);

        // From the AFTR but no sane IPv4 (total length past the end): counted and dropped.
        byte[] broken = (byte[])packet.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(broken.AsSpan(2), (ushort)(packet.Length + 8));
        SendIpip(lab.Aftr, DsLiteLab.AftrAddress, broken);
        WaitUntil(() => lab.Pump.Counters.DroppedNotIpv4FromAftr == 1, TimeSpan.FromSeconds(2));
        Assert.Null(TryReceive(listener));
        Assert.Equal(fromAftrBefore + 1, lab.Pump.Counters.PacketsFromAftr);
    }

    [NetnsFact]
    public void SetEndpoints_NewLocalAddress_RebindsWithoutLosingTheTun_AndTheAftrLearnsTheNewB4()
    {
        using var lab = new DsLiteLab();
        Assert.True(DsLiteLab.Ping(lab.Lan, DsLiteLab.InetHost).ExitCode == 0);
        lab.WaitForAftrLog($"learned B4 {DsLiteLab.B4Address}", TimeSpan.FromSeconds(2));
        int index = lab.Pump.InterfaceIndex;

        // The WAN was renumbered: a second address, the pump rebound to it (from this thread, outside the b4 namespace).
        IPAddress renumbered = IPAddress.Parse("2001:db8:4::b5");
        lab.InB4($"addr add {renumbered}/64 dev wan0 nodad");
        lab.Pump.SetEndpoints(renumbered, DsLiteLab.AftrAddress);
        Assert.Equal(renumbered, lab.Pump.Local);
        var afterRebind = DsLiteLab.Ping(lab.Lan, DsLiteLab.InetHost);
        Assert.True(afterRebind.ExitCode == 0, afterRebind.Output);
        lab.WaitForAftrLog($"learned B4 {renumbered} (was {DsLiteLab.B4Address})", TimeSpan.FromSeconds(2));
        lab.InB4($"addr del {DsLiteLab.B4Address}/64 dev wan0");
        Assert.True(DsLiteLab.Ping(lab.Lan, DsLiteLab.InetHost).ExitCode == 0);
        Assert.Contains($"\"ifindex\":{index},", lab.InB4($"-j link show {DsLiteLab.TunName}"), StringComparison.Ordinal);

        // An address not on the link: refused with the errno, and the path in use stays.
        var refused = Assert.Throws<SystemCallException>(() => lab.Pump.SetEndpoints(IPAddress.Parse("2001:db8:4::dead"), DsLiteLab.AftrAddress));
        Assert.Equal(99, refused.Errno); // EADDRNOTAVAIL
        Assert.StartsWith("bind(IPIP 2001:db8:4::dead)", refused.Operation, StringComparison.Ordinal);
        Assert.Equal(renumbered, lab.Pump.Local);
        Assert.True(DsLiteLab.Ping(lab.Lan, DsLiteLab.InetHost).ExitCode == 0);

        // No path: what the TUN gets is dropped and counted; endpoints again, and it flows again.
        long noPathBefore = lab.Pump.Counters.DroppedNoPath;
        lab.Pump.SetEndpoints(null, null);
        Assert.Null(lab.Pump.Remote);
        Assert.NotEqual(0, DsLiteLab.Ping(lab.Lan, DsLiteLab.InetHost, count: 2).ExitCode);
        Assert.True(lab.Pump.Counters.DroppedNoPath >= noPathBefore + 2, $"{lab.Pump.Counters}");
        lab.Pump.SetEndpoints(renumbered, DsLiteLab.AftrAddress);
        Assert.True(DsLiteLab.Ping(lab.Lan, DsLiteLab.InetHost).ExitCode == 0);
        Assert.Equal(index, lab.Pump.InterfaceIndex);
    }

    [NetnsFact]
    public void TunMtu1460_DontFragmentPing1500_GetsFragNeededWithMtu1460_And1460BytesPass()
    {
        using var lab = new DsLiteLab();

        var fromLan = DsLiteLab.Ping(lab.Lan, DsLiteLab.InetHost, dontFragmentPayload: 1472); // 1,500 bytes
        Assert.NotEqual(0, fromLan.ExitCode);
        Assert.Contains("From 198.51.100.1 icmp_seq=1 Frag needed and DF set (mtu = 1460)", fromLan.Output, StringComparison.Ordinal);
        var fromRouter = DsLiteLab.Ping(lab.B4, DsLiteLab.InetHost, dontFragmentPayload: 1472);
        Assert.Contains("message too long, mtu=1460", fromRouter.Output, StringComparison.Ordinal);

        var full = DsLiteLab.Ping(lab.Lan, DsLiteLab.InetHost, dontFragmentPayload: 1432); // 1,460 bytes: 1,500 with the IPv6 header
        Assert.True(full.ExitCode == 0, full.Output);
        Assert.Equal(0, lab.Pump.Counters.DroppedTooBig);
    }

    [NetnsFact]
    public void Open_NameHeldByAnotherPump_ThrowsEbusyNamingTunsetiff_DisposeIsPromptAndTakesTheLink()
    {
        using var lab = new DsLiteLab();

        var busy = Assert.Throws<SystemCallException>(() => NetworkNamespace.Named(lab.B4).Run(() => B4Pump.Open(DsLiteLab.TunName)));
        Assert.Equal((16, $"ioctl(TUNSETIFF {DsLiteLab.TunName})"), (busy.Errno, busy.Operation)); // EBUSY

        var clock = Stopwatch.StartNew();
        lab.Pump.Dispose();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"Dispose took {clock.Elapsed}");
        Assert.Throws<InvalidOperationException>(() => lab.InB4($"link show {DsLiteLab.TunName}"));
        Assert.Throws<ObjectDisposedException>(() => lab.Pump.SetEndpoints(DsLiteLab.B4Address, DsLiteLab.AftrAddress));
    }

    /// <summary>An IPv4/UDP packet with a correct header checksum and no UDP checksum.</summary>
    private static byte[] UdpPacket(IPAddress source, IPAddress destination, int sourcePort, int destinationPort, byte[] payload)
    {
        byte[] p = new byte[28 + payload.Length];
        p[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), (ushort)p.Length);
        p[8] = 64;
        p[9] = 17;
        source.TryWriteBytes(p.AsSpan(12), out _);
        destination.TryWriteBytes(p.AsSpan(16), out _);
        uint sum = 0;
        for (int i = 0; i < 20; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(i));
        }

        sum = (sum & 0xFFFF) + (sum >> 16);
        sum = (sum & 0xFFFF) + (sum >> 16);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(10), (ushort)~sum);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(20), (ushort)sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(22), (ushort)destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(24), (ushort)(8 + payload.Length));
        payload.CopyTo(p, 28);
        return p;
    }

    /// <summary>Sends <paramref name="ipv4"/> inside IPv6 from <paramref name="source"/> (in namespace <paramref name="ns"/>) to the B4.</summary>
    private static void SendIpip(string ns, IPAddress source, byte[] ipv4)
    {
        // System.Net.Sockets refuses protocol 4 for raw IPv6 sockets ("Protocol not supported"): ours does it.
        using IpipSocket raw = NetworkNamespace.Named(ns).Run(() => IpipSocket.Open(source, DsLiteLab.B4Address));
        using var batch = new PacketBatch(1, 2048);
        ipv4.CopyTo(batch.Slot(0));
        batch.SetLength(0, ipv4.Length);
        Assert.Equal(1, raw.Send(batch, 0, 1, toAddresses: false, out int error));
        Assert.Equal(0, error);
    }

    private static byte[]? TryReceive(Socket udp)
    {
        byte[] buffer = new byte[2048];
        try
        {
            return buffer.AsSpan(0, udp.Receive(buffer)).ToArray();
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            return null;
        }
    }

    private static byte[] ReadExactly(Socket s, int count)
    {
        byte[] b = new byte[count];
        int read = 0;
        while (read < count)
        {
            int n = s.Receive(b, read, count - read, SocketFlags.None);
            Assert.True(n > 0, "the connection closed early");
            read += n;
        }

        return b;
    }

    private static void WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < timeout, "timed out waiting");
            Thread.Sleep(10);
        }
    }
}
