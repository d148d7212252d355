using System.Net;
using IpoeRouter.Lab;
using IpoeRouter.Linux.Io;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Linux.RawIp;
using Xunit;

namespace IpoeRouter.Linux.Tests.Netns;

/// <summary>
/// The raw IPIP socket between two namespaces over a veth (MTU 1500): <c>a</c> with 2001:db8:7::a and
/// 2001:db8:7::c on v0, <c>b</c> with 2001:db8:7::b on peer0.
/// </summary>
public sealed class IpipSocketTests
{
    private static readonly IPAddress s_a = IPAddress.Parse("2001:db8:7::a");
    private static readonly IPAddress s_b = IPAddress.Parse("2001:db8:7::b");
    private static readonly IPAddress s_c = IPAddress.Parse("2001:db8:7::c");

    [NetnsFact]
    public void Connected_HearsOnlyItsPeer_PayloadOnly_WithTheSendersAddress_SeveralPerCall()
    {
        using var pair = new Pair();
        using IpipSocket receiver = pair.B.Run(() => IpipSocket.Open(s_b, s_a));
        using IpipSocket fromA = pair.A.Run(() => IpipSocket.Open(s_a, s_b));
        using IpipSocket fromC = pair.A.Run(() => IpipSocket.Open(s_c, s_b));
        using var batch = new PacketBatch(8, 2048);

        Fill(batch, 0, Payload(0xC0, 40));
        Assert.Equal(1, fromC.Send(batch, 0, 1, toAddresses: false, out _));
        for (int i = 0; i < 3; i++)
        {
            Fill(batch, i, Payload((byte)i, 100 + i));
        }

        Assert.Equal(3, fromA.Send(batch, 0, 3, toAddresses: false, out int error));
        Assert.Equal(0, error);

        using var received = new PacketBatch(8, 2048);
        int count = ReceiveAll(receiver, received, expected: 3);
        Assert.Equal(3, count);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(Payload((byte)i, 100 + i), received.Packet(i).ToArray()); // the inner packet only: no IPv6 header
            Assert.Equal(s_a, received.AddressOf(i));
            Assert.False(received.IsTruncated(i));
        }

        Assert.Equal(0, receiver.Receive(received, out _)); // the packet from ::c never came
    }

    [NetnsFact]
    public void Send_LargerThanThePathMtu_FailsWithEmsgsize_NeverAsFragments_AndTheRestStillGo()
    {
        using var pair = new Pair();
        using IpipSocket receiver = pair.B.Run(() => IpipSocket.Open(s_b, s_a));
        using IpipSocket sender = pair.A.Run(() => IpipSocket.Open(s_a, s_b));
        using var batch = new PacketBatch(4, 2048);
        Fill(batch, 0, Payload(1, 1460)); // 1,500 with the IPv6 header: fits
        Fill(batch, 1, Payload(2, 1461)); // one byte too many
        Fill(batch, 2, Payload(3, 100));
        long fragmentsBefore = pair.Snmp6(pair.A, "Ip6FragCreates");

        Assert.Equal(1, sender.Send(batch, 0, 3, toAddresses: false, out int error));
        Assert.Equal(0, error); // sendmmsg reports the count; the failure shows on the next call
        Assert.Equal(0, sender.Send(batch, 1, 2, toAddresses: false, out error));
        Assert.Equal(90, error); // EMSGSIZE
        Assert.Equal(1, sender.Send(batch, 2, 1, toAddresses: false, out error));
        Assert.Equal(1500, sender.PathMtu());
        Assert.Equal(fragmentsBefore, pair.Snmp6(pair.A, "Ip6FragCreates"));

        using var received = new PacketBatch(4, 2048);
        Assert.Equal(2, ReceiveAll(receiver, received, expected: 2));
        Assert.Equal((1460, 100), (received.Length(0), received.Length(1)));
    }

    [NetnsFact]
    public void Unconnected_HearsEverySender_AndSendsEachSlotToItsAddress_AndBuffersCanBeEnlarged()
    {
        using var pair = new Pair();
        using IpipSocket hub = pair.B.Run(() => IpipSocket.Open(s_b, remote: null));
        Assert.True(hub.EnlargeBuffers(1 << 20) >= 2 << 20, "SO_RCVBUFFORCE as root should pass rmem_max");
        using IpipSocket a = pair.A.Run(() => IpipSocket.Open(s_a, s_b));
        using IpipSocket c = pair.A.Run(() => IpipSocket.Open(s_c, s_b));
        using var batch = new PacketBatch(4, 2048);
        Fill(batch, 0, Payload(0xA, 60));
        Assert.Equal(1, a.Send(batch, 0, 1, toAddresses: false, out _));
        Fill(batch, 0, Payload(0xC, 60));
        Assert.Equal(1, c.Send(batch, 0, 1, toAddresses: false, out _));

        using var received = new PacketBatch(4, 2048);
        Assert.Equal(2, ReceiveAll(hub, received, expected: 2));
        Assert.Equal([s_a, s_c], new[] { received.AddressOf(0), received.AddressOf(1) });

        Fill(batch, 0, Payload(0x1, 50));
        batch.SetAddress(0, s_c.GetAddressBytes());
        Fill(batch, 1, Payload(0x2, 50));
        batch.SetAddress(1, s_a.GetAddressBytes());
        Assert.Equal(2, hub.Send(batch, 0, 2, toAddresses: true, out _));
        Assert.Equal(1, ReceiveAll(c, received, expected: 1));
        Assert.Equal(Payload(0x1, 50), received.Packet(0).ToArray());
        Assert.Equal(1, ReceiveAll(a, received, expected: 1));
        Assert.Equal(Payload(0x2, 50), received.Packet(0).ToArray());
    }

    private static byte[] Payload(byte tag, int length)
    {
        byte[] p = new byte[length];
        p[0] = 0x45;
        p.AsSpan(1).Fill(tag);
        return p;
    }

    private static void Fill(PacketBatch batch, int slot, byte[] payload)
    {
        payload.CopyTo(batch.Slot(slot));
        batch.SetLength(slot, payload.Length);
    }

    /// <summary>Receives until <paramref name="expected"/> packets are in the batch (waiting up to 2 s each time), then returns how many there are.</summary>
    private static int ReceiveAll(IpipSocket socket, PacketBatch batch, int expected)
    {
        using var other = new PacketBatch(batch.Capacity, batch.SlotSize);
        int total = 0;
        while (total < expected && Readiness.Wait(socket.Handle.Fd, -1, timeoutMilliseconds: 2000) != 0)
        {
            int n = socket.Receive(other, out int error);
            Assert.Equal(0, error);
            for (int i = 0; i < n && total < batch.Capacity; i++, total++)
            {
                other.Packet(i).CopyTo(batch.Slot(total));
                batch.SetLength(total, other.Length(i));
                batch.SetAddress(total, other.Address(i));
            }
        }

        return total;
    }

    /// <summary>Two namespaces joined by a veth, addresses without DAD.</summary>
    private sealed class Pair : IDisposable
    {
        private readonly NetnsFixture _a = new();
        private readonly NetnsFixture _b = new();

        public Pair()
        {
            try
            {
                _a.InNs("link set v1 name peer0");
                _a.InNs($"link set peer0 netns {_b.Name}");
                _a.InNs($"addr add {s_a}/64 dev v0 nodad");
                _a.InNs($"addr add {s_c}/64 dev v0 nodad");
                _b.InNs($"addr add {s_b}/64 dev peer0 nodad");
                _a.InNs("link set v0 up");
                _b.InNs("link set peer0 up");
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public NetworkNamespace A => NetworkNamespace.Named(_a.Name);

        public NetworkNamespace B => NetworkNamespace.Named(_b.Name);

        public long Snmp6(NetworkNamespace ns, string name) => ns.Run(() =>
            File.ReadLines("/proc/thread-self/net/snmp6").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(f => f.Length == 2 && f[0] == name).Select(f => long.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture)).Single());

        public void Dispose()
        {
            _b.Dispose();
            _a.Dispose();
        }
    }
}
