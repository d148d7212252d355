using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using IpoeRouter.Protocols.Arp;
using IpoeRouter.Protocols.Ipv4;
using IpoeRouter.Protocols.Wire;
using IpoeRouter.Services.Hosting;

namespace IpoeRouter.Services.Dhcp4Client;

/// <summary>
/// The DHCPv4 client's sockets on the WAN. Sending always goes through a UDP socket, 0.0.0.0:68 tied to
/// the interface (SO_BINDTODEVICE) with SO_BROADCAST: broadcasts leave from 0.0.0.0 before the address
/// is configured, unicasts (RENEW, RELEASE) from the leased address, which the engine must have
/// installed. Receiving follows <see cref="Listen"/>: the UDP socket once the address is configured;
/// before that (and in REBINDING) a packet socket for IPv4 UDP to port 68 (<see cref="Bpf.Ipv4UdpToPort"/>),
/// which hears the server's reply before the IP layer, where strict reverse-path filtering drops it
/// while the router has no route back to the server; and while a new address is probed, a packet
/// socket for ARP. Frames this host sent itself are left out. All sockets are opened at once (they
/// belong to the network namespace of the thread that opens them, so the agent opens them inside the
/// router's); a packet socket not listened to keeps a filter that lets nothing through, so it costs no wakeups.
/// </summary>
public sealed class Dhcp4ClientSockets : IDhcp4ClientTransport
{
    /// <summary>The DHCPv4 (BOOTP) client port.</summary>
    public const int ClientPort = 68;

    /// <summary>The DHCPv4 (BOOTP) server port.</summary>
    public const int ServerPort = 67;

    private readonly Socket _udp;
    private readonly Channel<(byte[] Frame, Dhcp4FrameKind Kind)> _frames =
        Channel.CreateBounded<(byte[], Dhcp4FrameKind)>(new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly CancellationTokenSource _closing = new();
    private readonly object _gate = new();
    private readonly PacketSocket _ip;
    private readonly PacketSocket _arp;
    private volatile Dhcp4Listening _listening = Dhcp4Listening.LinkLayer;
    private long _linkLayerDropped;

    private Dhcp4ClientSockets(Socket udp, PacketSocket ip, PacketSocket arp)
    {
        _udp = udp;
        _ip = ip;
        _arp = arp;
        _ = PumpUdpAsync();
        _ = PumpLinkLayerAsync(ip, Dhcp4FrameKind.Dhcp);
        _ = PumpLinkLayerAsync(arp, Dhcp4FrameKind.Arp);
    }

    /// <summary>Frames from the link layer left out as not IPv4/UDP to port 68 or as damaged (bad checksum, a fragment).</summary>
    public long LinkLayerDropped => Interlocked.Read(ref _linkLayerDropped);

    /// <summary>
    /// Opens the sockets on <paramref name="interfaceName"/>, listening on the link layer as a client
    /// that starts without an address does. No SO_REUSEADDR on the UDP socket: when another program holds
    /// port 68 (dhclient, dhcpcd, systemd-networkd, udhcpc) this throws <see cref="PortInUseException"/>
    /// naming it and its pid. The packet sockets need CAP_NET_RAW.
    /// </summary>
    public static Dhcp4ClientSockets Open(string interfaceName)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        PacketSocket? ip = null, arp = null;
        try
        {
            InterfaceSocket.BindToDevice(socket, interfaceName);
            socket.EnableBroadcast = true;
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Any, ClientPort));
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                IReadOnlyList<PortHolderProcess> holders = PortHolder.Udp(ClientPort);
                string who = holders.Count > 0 ? string.Join(", ", holders) : "a program this process cannot see";
                throw new PortInUseException(
                    $"The DHCPv4 client port (UDP {ClientPort}) on {interfaceName} is held by {who}; stop it (another DHCPv4 client such as dhclient, dhcpcd, udhcpc or systemd-networkd, so the router's WAN client can run).", e);
            }

            ip = PacketSocket.Open(interfaceName, Ipv4UdpPacket.EtherType, Bpf.Ipv4UdpToPort(ClientPort));
            arp = PacketSocket.Open(interfaceName, ArpPacket.EtherType, Bpf.DropAll);
            return new Dhcp4ClientSockets(socket, ip, arp);
        }
        catch
        {
            socket.Dispose();
            ip?.Dispose();
            arp?.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> packet, IPAddress destination, CancellationToken cancellationToken) =>
        await _udp.SendToAsync(packet, SocketFlags.None, new IPEndPoint(destination, ServerPort), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<Dhcp4Frame> ReceiveAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        (byte[] frame, Dhcp4FrameKind kind) = await _frames.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        frame.CopyTo(buffer, 0);
        return new Dhcp4Frame(frame.Length, kind);
    }

    /// <inheritdoc/>
    public void Listen(Dhcp4Listening listening)
    {
        lock (_gate)
        {
            if (listening == _listening || _closing.IsCancellationRequested)
            {
                return;
            }

            _ip.SetFilter(listening == Dhcp4Listening.Socket ? Bpf.DropAll : Bpf.Ipv4UdpToPort(ClientPort));
            _arp.SetFilter(listening == Dhcp4Listening.LinkLayerAndArp ? Bpf.AcceptAll : Bpf.DropAll);
            _listening = listening;
        }
    }

    /// <inheritdoc/>
    public async ValueTask SendArpAsync(ReadOnlyMemory<byte> packet, CancellationToken cancellationToken) =>
        await _arp.SendBroadcastAsync(packet, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            _closing.Cancel();
            _udp.Dispose();
            _ip.Dispose();
            _arp.Dispose();
        }

        _frames.Writer.TryComplete();
    }

    /// <summary>The UDP socket's datagrams, handed on while the client listens there (read and dropped otherwise: the link layer has them too).</summary>
    private async Task PumpUdpAsync()
    {
        byte[] buffer = new byte[ushort.MaxValue];
        while (!_closing.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await _udp.ReceiveAsync(buffer, SocketFlags.None, _closing.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || _closing.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // an ICMP error about an earlier send
            }

            if (_listening == Dhcp4Listening.Socket)
            {
                _frames.Writer.TryWrite((buffer.AsSpan(0, length).ToArray(), Dhcp4FrameKind.Dhcp));
            }
        }
    }

    /// <summary>One packet socket's frames until it is closed: DHCP payloads out of IPv4/UDP, or ARP packets as they are.</summary>
    private async Task PumpLinkLayerAsync(PacketSocket socket, Dhcp4FrameKind kind)
    {
        byte[] buffer = new byte[ushort.MaxValue];
        while (!_closing.IsCancellationRequested)
        {
            PacketReceived received;
            try
            {
                received = await socket.ReceiveAsync(buffer, _closing.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || _closing.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false); // the link went away for a moment: try again
                continue;
            }

            // Frames queued before the filter changed, and this host's own, are not for the client.
            Dhcp4Listening now = _listening;
            if (received.Outgoing || now == Dhcp4Listening.Socket || (kind == Dhcp4FrameKind.Arp && now != Dhcp4Listening.LinkLayerAndArp))
            {
                continue;
            }

            ReadOnlySpan<byte> frame = buffer.AsSpan(0, received.Length);
            if (kind == Dhcp4FrameKind.Arp)
            {
                _frames.Writer.TryWrite((frame.ToArray(), kind));
                continue;
            }

            try
            {
                Ipv4UdpPacket udp = Ipv4UdpPacket.Parse(frame, verifyUdpChecksum: !received.ChecksumNotReady);
                if (udp.DestinationPort == ClientPort)
                {
                    _frames.Writer.TryWrite((udp.Payload(frame).ToArray(), kind));
                    continue;
                }
            }
            catch (WireFormatException)
            {
                // damaged on the way, or a fragment: a real reply is retransmitted
            }

            Interlocked.Increment(ref _linkLayerDropped);
        }
    }
}
