using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Protocols.Dhcp4;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Agent.Tests;

/// <summary>
/// Many DHCPv4 clients at once from one UDP socket in the <c>lan</c> namespace: client <c>n</c> has the
/// MAC 02:00:5e:01:hi:lo, asks with the broadcast flag (so the answers reach this socket on port 68),
/// and runs DISCOVER → REQUEST until it holds an ACK. What each client was acknowledged is recorded
/// as it arrives: the crash test compares it with what the server remembers after a restart.
/// </summary>
public sealed class Dhcp4Storm : IDisposable
{
    private readonly Socket _socket;
    private readonly ConcurrentDictionary<uint, int> _clientByXid = new();

    public Dhcp4Storm(NetworkNamespace ns, string iface)
    {
        _socket = ns.Run(() =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.SetRawSocketOption(1, 25, System.Text.Encoding.ASCII.GetBytes(iface + "\0")); // SO_BINDTODEVICE
            s.EnableBroadcast = true;
            s.Bind(new IPEndPoint(IPAddress.Any, 68));
            return s;
        });
    }

    /// <summary>The address each client was acknowledged, by client number (the last ACK wins).</summary>
    public ConcurrentDictionary<int, IPAddress> Acked { get; } = new();

    /// <summary>Every ACK heard, in order: (client, address).</summary>
    public ConcurrentQueue<(int Client, IPAddress Address)> AckLog { get; } = new();

    public static ByteString Mac(int client) => new([0x02, 0x00, 0x5e, 0x01, (byte)(client >> 8), (byte)client]);

    /// <summary>
    /// Runs clients <paramref name="first"/> … <paramref name="first"/>+<paramref name="count"/>−1, each
    /// retrying every 3 s until acknowledged (the server drops more than 10 messages in 10 s from one client), until all are or <paramref name="stop"/> ends.
    /// </summary>
    public async Task RunAsync(int first, int count, CancellationToken stop)
    {
        Task receive = ReceiveAsync(stop);
        try
        {
            while (!stop.IsCancellationRequested && Enumerable.Range(first, count).Any(c => !Acked.ContainsKey(c)))
            {
                foreach (int c in Enumerable.Range(first, count).Where(c => !Acked.ContainsKey(c)))
                {
                    Send(Build(c, Dhcp4MessageType.Discover, []));
                }

                await Task.Delay(3000, stop).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
        finally
        {
            if (!stop.IsCancellationRequested)
            {
                _socket.Close(); // ends the receive loop
            }

            await receive.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task ReceiveAsync(CancellationToken stop)
    {
        byte[] buffer = new byte[1500];
        while (!stop.IsCancellationRequested)
        {
            int n;
            try
            {
                n = await _socket.ReceiveAsync(buffer, SocketFlags.None, stop);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Dhcp4Message reply;
            try
            {
                reply = Dhcp4Message.Parse(buffer.AsSpan(0, n));
            }
            catch (WireFormatException)
            {
                continue;
            }

            if (reply.Op != Dhcp4OpCode.BootReply || !_clientByXid.TryGetValue(reply.TransactionId, out int client))
            {
                continue;
            }

            if (reply.MessageType == Dhcp4MessageType.Offer && reply.Find<ServerIdentifierOption>() is { } server)
            {
                Send(Build(client, Dhcp4MessageType.Request, [new ServerIdentifierOption(server.Address), new RequestedIpAddressOption(reply.YourAddress)]));
            }
            else if (reply.MessageType == Dhcp4MessageType.Ack)
            {
                Acked[client] = reply.YourAddress;
                AckLog.Enqueue((client, reply.YourAddress));
            }
        }
    }

    private Dhcp4Message Build(int client, Dhcp4MessageType type, Dhcp4Option[] options)
    {
        uint xid = 0x5e000000u | (uint)client;
        _clientByXid[xid] = client;
        return new Dhcp4Message
        {
            TransactionId = xid,
            HardwareAddress = Mac(client),
            Flags = Dhcp4Flags.Broadcast,
            Options = [new MessageTypeOption(type), .. options],
        };
    }

    private void Send(Dhcp4Message message)
    {
        try
        {
            _socket.SendTo(message.ToArray(), new IPEndPoint(IPAddress.Broadcast, 67));
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // the agent is down (the crash test killed it) or the storm ends: the client asks again
        }
    }

    public void Dispose() => _socket.Dispose();
}
