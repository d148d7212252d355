using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Protocols.Dhcp6;

namespace IpoeRouter.Agent.Tests;

/// <summary>
/// Sees the DHCPv6 Replies arriving in the router namespace, independently of the agent: a raw socket
/// for UDP gets a copy of every UDP datagram the namespace receives (UDP header + payload). Each Reply
/// to port 546 is stamped on arrival with the prefixes it delegates (lifetime &gt; 0).
/// </summary>
public sealed class PdReplyListener(NetworkNamespace ns)
    : PacketListener(ns.Run(() => new Socket(AddressFamily.InterNetworkV6, SocketType.Raw, ProtocolType.Udp)))
{
    private readonly Channel<(DateTimeOffset At, IReadOnlyList<IPAddress> Prefixes)> _heard = Channel.CreateUnbounded<(DateTimeOffset, IReadOnlyList<IPAddress>)>();

    /// <summary>When the first Reply delegating a prefix inside <paramref name="pool"/> arrived.</summary>
    public async Task<DateTimeOffset> WaitFor(IPNetwork pool, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var (at, prefixes) = await _heard.Reader.ReadAsync(deadline.Token);
                if (prefixes.Any(pool.Contains))
                {
                    return at;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no DHCPv6 Reply delegating a prefix of {pool} within {timeout.TotalSeconds} s");
        }
    }

    protected override void OnPacket(ReadOnlySpan<byte> packet, DateTimeOffset at)
    {
        int destinationPort = packet.Length >= 8 ? (packet[2] << 8) | packet[3] : 0;
        if (destinationPort != 546 || packet.Length <= 8 || packet[8] != (byte)Dhcp6MessageType.Reply)
        {
            return;
        }

        Dhcp6Message reply = Dhcp6Message.Parse(packet[8..]);
        var prefixes = reply.Options.OfType<IaPdOption>().SelectMany(ia => ia.Options.OfType<IaPrefixOption>())
            .Where(p => p.ValidLifetime > 0).Select(p => p.Prefix).ToList();
        _heard.Writer.TryWrite((at, prefixes));
    }
}

/// <summary>
/// A raw socket read on a task of its own until disposed; each packet goes to <see cref="OnPacket"/>
/// with its arrival time. Packets that do not parse are ignored (the tests look for what they expect).
/// </summary>
public abstract class PacketListener : IDisposable
{
    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;

    protected PacketListener(Socket socket)
    {
        _socket = socket;
        _pump = Task.Run(PumpAsync);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        try
        {
            _pump.Wait(2000);
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
        GC.SuppressFinalize(this);
    }

    protected abstract void OnPacket(ReadOnlySpan<byte> packet, DateTimeOffset at);

    private async Task PumpAsync()
    {
        byte[] buffer = new byte[ushort.MaxValue];
        while (!_stop.IsCancellationRequested)
        {
            int n;
            try
            {
                n = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            try
            {
                OnPacket(buffer.AsSpan(0, n), DateTimeOffset.UtcNow);
            }
            catch (IpoeRouter.Protocols.Wire.WireFormatException)
            {
            }
        }
    }
}
