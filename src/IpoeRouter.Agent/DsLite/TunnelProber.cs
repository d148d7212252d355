using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using IpoeRouter.Linux.Netlink;

namespace IpoeRouter.Agent.DsLite;

/// <summary>
/// One ICMP echo through a tunnel: to an IPv4 target from the B4's address (so it leaves by the
/// tunnel), or to an IPv6 target (the AFTR itself) from the WAN. Raw sockets (the agent runs as
/// root; unprivileged ping sockets depend on net.ipv4.ping_group_range), made in the router's namespace.
/// </summary>
internal static class TunnelProber
{
    private const int EchoHeader = 8;
    private const int PayloadLength = 16;
    private static int s_sequence;

    /// <summary>The round trip, or null with why the probe got no answer.</summary>
    public static async Task<(TimeSpan? RoundTrip, string? Why)> PingAsync(NetworkNamespace ns, IPAddress target, IPAddress? source, TimeSpan timeout, CancellationToken stop)
    {
        bool v4 = target.AddressFamily == AddressFamily.InterNetwork;
        Socket socket;
        try
        {
            socket = ns.Run(() => new Socket(target.AddressFamily, SocketType.Raw, v4 ? ProtocolType.Icmp : ProtocolType.IcmpV6));
        }
        catch (SocketException e)
        {
            return (null, $"cannot open an ICMP socket: {e.Message}");
        }

        using (socket)
        {
            ushort id = (ushort)Random.Shared.Next(1, ushort.MaxValue);
            ushort sequence = (ushort)Interlocked.Increment(ref s_sequence);
            byte[] request = Echo(v4, id, sequence);
            var clock = Stopwatch.StartNew();
            try
            {
                if (source is not null)
                {
                    socket.Bind(new IPEndPoint(source, 0));
                }

                await socket.SendToAsync(request, SocketFlags.None, new IPEndPoint(target, 0), stop).ConfigureAwait(false);
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
                deadline.CancelAfter(timeout);
                byte[] buffer = new byte[1500];
                while (true)
                {
                    SocketReceiveFromResult got = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(v4 ? IPAddress.Any : IPAddress.IPv6Any, 0), deadline.Token)
                        .ConfigureAwait(false);
                    if (got.RemoteEndPoint is IPEndPoint from && from.Address.Equals(target) && IsReply(buffer.AsSpan(0, got.ReceivedBytes), v4, id, sequence))
                    {
                        return (clock.Elapsed, null);
                    }
                }
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
                return (null, $"no answer from {target} in {timeout.TotalSeconds:0} s");
            }
            catch (SocketException e)
            {
                return (null, $"cannot ping {target}{(source is null ? "" : $" from {source}")}: {e.Message}");
            }
        }
    }

    /// <summary>An echo request: type, code, checksum (IPv4: computed here; ICMPv6: the kernel fills it in), id, sequence, payload.</summary>
    internal static byte[] Echo(bool v4, ushort id, ushort sequence)
    {
        byte[] m = new byte[EchoHeader + PayloadLength];
        m[0] = v4 ? (byte)8 : (byte)128;
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(4), id);
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(6), sequence);
        "ipoe-agent probe"u8.CopyTo(m.AsSpan(EchoHeader));
        if (v4)
        {
            BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(2), Checksum(m));
        }

        return m;
    }

    /// <summary>Whether a datagram from the raw socket (IPv4: with its IP header; ICMPv6: without) is the reply to this probe.</summary>
    internal static bool IsReply(ReadOnlySpan<byte> datagram, bool v4, ushort id, ushort sequence)
    {
        if (v4)
        {
            if (datagram.Length < 20 || datagram[0] >> 4 != 4)
            {
                return false;
            }

            datagram = datagram[((datagram[0] & 0x0f) * 4)..];
        }

        return datagram.Length >= EchoHeader && datagram[0] == (v4 ? 0 : 129) && datagram[1] == 0
            && BinaryPrimitives.ReadUInt16BigEndian(datagram[4..]) == id && BinaryPrimitives.ReadUInt16BigEndian(datagram[6..]) == sequence;
    }

    private static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (int i = 0; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if ((data.Length & 1) != 0)
        {
            sum += (uint)data[^1] << 8;
        }

        while (sum >> 16 != 0)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
