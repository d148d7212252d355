using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using IpoeRouter.Lab;
using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Io;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Linux.Tun;
using Xunit;

namespace IpoeRouter.Linux.Tests.Netns;

/// <summary>The TUN device against the kernel, each test in a namespace of its own, checked with <c>ip -j</c>.</summary>
public sealed class TunDeviceTests
{
    [NetnsFact]
    public void Open_MakesANonPersistentLayer3TunWithoutPacketInfo_ThatGoesWithItsDescriptor()
    {
        using var ns = new NetnsFixture();
        TunDevice tun = NetworkNamespace.Named(ns.Name).Run(() => TunDevice.Open("t0"));
        try
        {
            JsonElement link = ns.Json("-d link show t0")[0];
            Assert.Equal(tun.InterfaceIndex, link.GetProperty("ifindex").GetInt32());
            Assert.Equal("t0", tun.Name);
            JsonElement info = link.GetProperty("linkinfo");
            Assert.Equal("tun", info.GetProperty("info_kind").GetString());
            JsonElement data = info.GetProperty("info_data");
            Assert.Equal(("tun", false, false, false), (data.GetProperty("type").GetString(), data.GetProperty("pi").GetBoolean(), data.GetProperty("vnet_hdr").GetBoolean(), data.GetProperty("persist").GetBoolean()));
            Assert.DoesNotContain("UP", link.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        }
        finally
        {
            tun.Dispose();
        }

        Assert.Throws<InvalidOperationException>(() => ns.InNs("link show t0"));
    }

    [NetnsFact]
    public void Open_TheSameNameTwice_ThrowsEbusyNamingTheCall_AndATooLongNameIsRefusedBeforeTheKernel()
    {
        using var ns = new NetnsFixture();
        using TunDevice tun = NetworkNamespace.Named(ns.Name).Run(() => TunDevice.Open("t0"));

        var e = Assert.Throws<SystemCallException>(() => NetworkNamespace.Named(ns.Name).Run(() => TunDevice.Open("t0")));
        Assert.Equal((16, "ioctl(TUNSETIFF t0)"), (e.Errno, e.Operation));
        Assert.Equal("ioctl(TUNSETIFF t0) failed: EBUSY (16)", e.Message);
        Assert.Throws<ArgumentException>(() => TunDevice.Open("a-name-of-16-byt"));
    }

    [NetnsFact]
    public void WriteAndRead_CarryBareIpv4Packets_AndAWriteWhileDownIsRefusedWithEio()
    {
        using var ns = new NetnsFixture();
        var netns = NetworkNamespace.Named(ns.Name);
        using TunDevice tun = netns.Run(() => TunDevice.Open("t0"));
        byte[] inbound = UdpPacket(IPAddress.Parse("192.0.2.9"), IPAddress.Parse("192.0.2.1"), 4000, 9999, "inbound"u8);
        Assert.Equal(5, tun.Write(inbound)); // EIO: the link is down

        Run(netns, () => File.WriteAllText("/proc/sys/net/ipv6/conf/t0/disable_ipv6", "1"));
        ns.InNs("addr add 192.0.2.1/24 dev t0");
        ns.InNs("link set t0 up");
        using Socket udp = netns.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        udp.Bind(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 9999));
        udp.ReceiveTimeout = 2000;

        Assert.Equal(0, tun.Write(inbound));
        byte[] received = new byte[64];
        Assert.Equal("inbound"u8.ToArray(), received.AsSpan(0, udp.Receive(received)).ToArray());

        udp.SendTo("outbound"u8.ToArray(), new IPEndPoint(IPAddress.Parse("192.0.2.50"), 7)); // on t0's subnet: routed into the TUN
        Assert.Equal(Readiness.First, Readiness.Wait(tun.Handle.Fd, -1, timeoutMilliseconds: 2000));
        byte[] packet = new byte[2048];
        int n = tun.Read(packet);
        Assert.Equal(28 + 8, n);
        Assert.Equal(0x45, packet[0]); // no packet information in front: the IPv4 header itself
        Assert.Equal(IPAddress.Parse("192.0.2.50"), new IPAddress(packet.AsSpan(16, 4)));
        Assert.Equal(7, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(22)));
        Assert.Equal("outbound"u8.ToArray(), packet.AsSpan(28, 8).ToArray());
        Assert.Equal(0, tun.Read(packet)); // nothing more queued: 0, not a block or an exception
    }

    private static void Run(NetworkNamespace ns, Action action) => ns.Run(() =>
    {
        action();
        return 0;
    });

    /// <summary>An IPv4/UDP packet with a correct header checksum and no UDP checksum.</summary>
    internal static byte[] UdpPacket(IPAddress source, IPAddress destination, int sourcePort, int destinationPort, ReadOnlySpan<byte> payload)
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
        payload.CopyTo(p.AsSpan(28));
        return p;
    }
}
