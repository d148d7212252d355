using System.Net;
using System.Threading.Channels;
using IpoeRouter.Protocols.Dhcp4;
using IpoeRouter.Protocols.Wire;
using IpoeRouter.Services.Dhcp4Client;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace IpoeRouter.Services.Tests;

/// <summary>
/// The DHCPv4 host loop on a fake clock with an in-memory transport: the test plays the HGW. The
/// clock moves in one-second steps, and only when the host has handled everything delivered, until
/// the expected message shows up.
/// </summary>
public sealed class Dhcp4ClientHostTests
{
    private static readonly ByteString s_mac = new([0x02, 0x00, 0x5e, 0x00, 0x02, 0x07]);
    private static readonly IPAddress s_hgw = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress s_leased = IPAddress.Parse("192.0.2.100");

    [Fact]
    public async Task Host_Binds_RenewsByUnicastAtT1_DropsGarbage_AndReleasesOnStopBeforeReportingTheLoss()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero));
        var link = new QueueTransport();
        var events = new List<string>();
        var changes = Channel.CreateUnbounded<Dhcp4LeaseChanged>();
        var logs = new List<string>();
        var client = new Services.Dhcp4Client.Dhcp4Client(new Dhcp4ClientConfig(s_mac) { ProbeAddress = false }, () => 0.5, () => 0x77);
        var host = new Dhcp4ClientHost(client, link.Recording(events), time, c =>
        {
            lock (events)
            {
                events.Add($"{c.Reason}");
            }

            return changes.Writer.WriteAsync(c);
        }, logs.Add);
        using var stop = new CancellationTokenSource();
        DateTimeOffset start = time.GetUtcNow();
        Task running = host.RunAsync(null, stop.Token);

        (Dhcp4Message discover, IPAddress to) = await link.NextSentAsync(time);
        Assert.Equal(IPAddress.Broadcast, to);
        for (int i = 0; i < 5; i++)
        {
            link.Deliver([0xde, 0xad]); // garbage on the port: dropped and logged once a minute at most
        }

        link.Deliver(Reply(discover, Dhcp4MessageType.Offer));
        (Dhcp4Message request, _) = await link.NextSentAsync(time);
        link.Deliver(Reply(request, Dhcp4MessageType.Ack));
        Dhcp4LeaseChanged bound = await changes.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(s_leased, bound.Lease!.Address);
        Assert.Single(logs, l => l.Contains("malformed datagram of 2 bytes", StringComparison.Ordinal));

        (Dhcp4Message renew, IPAddress renewTo) = await link.NextSentAsync(time);
        Assert.Equal(s_hgw, renewTo);
        Assert.InRange((time.GetUtcNow() - start).TotalSeconds, 50, 52); // T1 = 50 s of 100
        link.Deliver(Reply(renew, Dhcp4MessageType.Ack));
        Assert.Equal(Dhcp4LeaseChangeReason.Extended, (await changes.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10))).Reason);

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Dhcp4ClientState.Stopped, client.State);
        Assert.Equal(["Discover", "Request", "Acquired", "Request", "Extended", "Release", "Released"], events);
    }

    [Fact]
    public async Task Host_WithReleaseOnStopOff_KeepsTheLease_AndSendsNothingOnStop()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero));
        var link = new QueueTransport();
        var events = new List<string>();
        var changes = Channel.CreateUnbounded<Dhcp4LeaseChanged>();
        var client = new Services.Dhcp4Client.Dhcp4Client(new Dhcp4ClientConfig(s_mac) { ProbeAddress = false }, () => 0.5, () => 0x78);
        var host = new Dhcp4ClientHost(client, link.Recording(events), time, c => changes.Writer.WriteAsync(c), _ => { }) { ReleaseOnStop = false };
        using var stop = new CancellationTokenSource();
        Task running = host.RunAsync(null, stop.Token);
        (Dhcp4Message discover, _) = await link.NextSentAsync(time);
        link.Deliver(Reply(discover, Dhcp4MessageType.Offer));
        link.Deliver(Reply((await link.NextSentAsync(time)).Message, Dhcp4MessageType.Ack));
        await changes.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Dhcp4ClientState.Bound, client.State);
        Assert.NotNull(client.Lease);
        Assert.Equal(["Discover", "Request"], events);
    }

    private static byte[] Reply(Dhcp4Message request, Dhcp4MessageType type) => new Dhcp4Message
    {
        Op = Dhcp4OpCode.BootReply,
        TransactionId = request.TransactionId,
        Flags = request.Flags,
        ClientAddress = request.ClientAddress,
        YourAddress = s_leased,
        HardwareAddress = request.HardwareAddress,
        Options = [new MessageTypeOption(type), new ServerIdentifierOption(s_hgw), new LeaseTimeOption(100), new SubnetMaskOption(IPAddress.Parse("255.255.255.0"))],
    }.ToArray();

    /// <summary>The client's side of an in-memory link: what it sends is queued for the test, what the test delivers it receives.</summary>
    private sealed class QueueTransport : IDhcp4ClientTransport
    {
        private readonly Channel<byte[]> _toClient = Channel.CreateUnbounded<byte[]>();
        private readonly Channel<(byte[], IPAddress)> _fromClient = Channel.CreateUnbounded<(byte[], IPAddress)>();
        private List<string>? _events;
        private bool _waiting;
        private int _delivered;
        private int _consumed;

        private bool HostIsIdle => Volatile.Read(ref _waiting) && Volatile.Read(ref _consumed) == Volatile.Read(ref _delivered);

        /// <summary>This transport, noting each sent message's type in <paramref name="events"/>.</summary>
        public QueueTransport Recording(List<string> events)
        {
            _events = events;
            return this;
        }

        public void Deliver(byte[] datagram)
        {
            Interlocked.Increment(ref _delivered);
            _toClient.Writer.TryWrite(datagram);
        }

        /// <summary>Steps the fake clock a second at a time until the client sends something.</summary>
        public async Task<(Dhcp4Message Message, IPAddress To)> NextSentAsync(FakeTimeProvider time)
        {
            for (int i = 0; i < 2000; i++)
            {
                if (_fromClient.Reader.TryRead(out var sent))
                {
                    return (Dhcp4Message.Parse(sent.Item1), sent.Item2);
                }

                Task<bool> ready = _fromClient.Reader.WaitToReadAsync().AsTask();
                if (await Task.WhenAny(ready, Task.Delay(20)) != ready && HostIsIdle && _fromClient.Reader.Count == 0)
                {
                    time.Advance(TimeSpan.FromSeconds(1));
                }
            }

            throw new TimeoutException("the client sent nothing");
        }

        public ValueTask SendAsync(ReadOnlyMemory<byte> packet, IPAddress destination, CancellationToken cancellationToken)
        {
            if (_events is { } events)
            {
                lock (events)
                {
                    events.Add($"{Dhcp4Message.Parse(packet.Span).MessageType}");
                }
            }

            return _fromClient.Writer.WriteAsync((packet.ToArray(), destination), cancellationToken);
        }

        /// <summary>Where the host said to listen, in order (repeats left out).</summary>
        public List<Dhcp4Listening> Listened { get; } = [];

        /// <summary>The ARP packets the host broadcast.</summary>
        public List<byte[]> ArpSent { get; } = [];

        public async ValueTask<Dhcp4Frame> ReceiveAsync(byte[] buffer, CancellationToken cancellationToken)
        {
            Volatile.Write(ref _waiting, true);
            byte[] datagram = await _toClient.Reader.ReadAsync(cancellationToken);
            Volatile.Write(ref _waiting, false);
            Interlocked.Increment(ref _consumed);
            datagram.CopyTo(buffer, 0);
            return new Dhcp4Frame(datagram.Length, Dhcp4FrameKind.Dhcp);
        }

        public void Listen(Dhcp4Listening listening)
        {
            lock (Listened)
            {
                if (Listened.Count == 0 || Listened[^1] != listening)
                {
                    Listened.Add(listening);
                }
            }
        }

        public ValueTask SendArpAsync(ReadOnlyMemory<byte> packet, CancellationToken cancellationToken)
        {
            lock (ArpSent)
            {
                ArpSent.Add(packet.ToArray());
            }

            return ValueTask.CompletedTask;
        }

        public void Dispose()
        {
        }
    }
}
