using IpoeRouter.Protocols.Arp;
using IpoeRouter.Protocols.Dhcp4;
using IpoeRouter.Protocols.Wire;
using IpoeRouter.Services.Hosting;

namespace IpoeRouter.Services.Dhcp4Client;

/// <summary>
/// Runs a <see cref="Dhcp4Client"/>: feeds it datagrams and the clock, sends what it asks, and hands
/// each lease change to <c>onLeaseChanged</c> before going on. The host does not touch the kernel: the
/// callback (the engine) installs the address with the lease's remaining time as its lifetimes and the
/// on-link subnet route, offers the DNS servers to the forwarder, persists the lease
/// (<see cref="Dhcp4ClientLeaseFile"/>), and installs no default route. The callback must have
/// installed the address when it returns: RENEWING unicasts from that address, and the server's ACK
/// comes back unicast to it. After each step it tells the transport where to listen (the link layer
/// until the address is configured, ARP while a new address is probed; <see cref="Dhcp4Client.Listening"/>).
/// A datagram that does not parse is dropped and logged (at most once a minute). On cancellation
/// the lease is released (RELEASE unicast to the server, sent while the address is still there).
/// </summary>
public sealed class Dhcp4ClientHost(Dhcp4Client client, IDhcp4ClientTransport transport, TimeProvider time, Func<Dhcp4LeaseChanged, ValueTask> onLeaseChanged, Action<string> log)
{
    private readonly LogRateLimiter _malformed = new(log, time);

    /// <summary>
    /// Whether a stop releases the lease (true: the HGW may give the address to someone else). An agent
    /// that stops only to start again (upgrade, restart) sets false, so the next run confirms the saved
    /// lease with INIT-REBOOT and keeps the address.
    /// </summary>
    public bool ReleaseOnStop { get; init; } = true;

    /// <summary>Runs until <paramref name="stop"/> is cancelled, then releases the lease (see <see cref="ReleaseOnStop"/>).</summary>
    public async Task RunAsync(Dhcp4Lease? saved, CancellationToken stop)
    {
        await ExecuteAsync(client.Start(time.GetUtcNow(), saved), CancellationToken.None).ConfigureAwait(false);
        await PumpAsync(stop).ConfigureAwait(false);
        if (ReleaseOnStop)
        {
            await ExecuteAsync(client.Stop(time.GetUtcNow()), CancellationToken.None).ConfigureAwait(false);
        }
    }

    private Task PumpAsync(CancellationToken token) =>
        ClientLoop.RunAsync<Dhcp4Frame>(transport.ReceiveAsync, () => client.NextWake, () => client.State == Dhcp4ClientState.Stopped, OnFrameAsync,
            () => ExecuteAsync(client.Tick(time.GetUtcNow()), token), time, token);

    private Task OnFrameAsync(Dhcp4Frame frame, byte[] buffer) =>
        frame.Kind == Dhcp4FrameKind.Arp ? OnArpAsync(buffer.AsMemory(0, frame.Length)) : OnDatagramAsync(buffer.AsMemory(0, frame.Length));

    private async Task OnArpAsync(ReadOnlyMemory<byte> frame)
    {
        ArpPacket packet;
        try
        {
            packet = ArpPacket.Parse(frame.Span);
        }
        catch (WireFormatException e)
        {
            _malformed.Write("malformed-arp", $"DHCPv4: dropped a malformed ARP packet of {frame.Length} bytes: {e.Message}");
            return;
        }

        await ExecuteAsync(client.ArpReceived(time.GetUtcNow(), packet), CancellationToken.None).ConfigureAwait(false);
    }

    private async Task OnDatagramAsync(ReadOnlyMemory<byte> datagram)
    {
        Dhcp4Message message;
        try
        {
            message = Dhcp4Message.Parse(datagram.Span);
        }
        catch (WireFormatException e)
        {
            _malformed.Write("malformed", $"DHCPv4: dropped a malformed datagram of {datagram.Length} bytes: {e.Message}");
            return;
        }

        await ExecuteAsync(client.Receive(time.GetUtcNow(), message), CancellationToken.None).ConfigureAwait(false);
    }

    private async Task ExecuteAsync(IReadOnlyList<Dhcp4ClientAction> actions, CancellationToken token)
    {
        foreach (Dhcp4ClientAction action in actions)
        {
            switch (action)
            {
                case Dhcp4Send send:
                    try
                    {
                        await transport.SendAsync(send.Message.ToArray(), send.Destination, token).ConfigureAwait(false);
                    }
                    catch (System.Net.Sockets.SocketException e)
                    {
                        // The WAN is down, or a unicast has no route (address not installed): as good as a
                        // lost packet; the exchange's timer sends it again (RFC 2131 §4.1).
                        log($"DHCPv4: {send.Message.MessageType} to {send.Destination} not sent ({e.SocketErrorCode}: {e.Message}); retransmitting on schedule");
                    }

                    break;
                case Dhcp4ArpProbe probe:
                    try
                    {
                        await transport.SendArpAsync(probe.Probe.ToArray(), token).ConfigureAwait(false);
                    }
                    catch (System.Net.Sockets.SocketException e)
                    {
                        // A lost probe: the others and the wait after them still find a holder that answers.
                        log($"DHCPv4: ARP probe for {probe.Probe.TargetAddress} not sent ({e.SocketErrorCode}: {e.Message})");
                    }

                    break;
                case Dhcp4LeaseChanged changed:
                    await onLeaseChanged(changed).ConfigureAwait(false);
                    break;
            }
        }

        // After the lease change was handled (the address installed or removed): listen where the new state needs.
        transport.Listen(client.Listening);
    }
}
