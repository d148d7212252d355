using System.Net;
using System.Threading.Channels;
using IpoeRouter.Protocols.Dhcp6;
using IpoeRouter.Protocols.Wire;
using IpoeRouter.Services.Dhcp6PdClient;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace IpoeRouter.Services.Tests;

/// <summary>
/// The host loop on a fake clock with an in-memory transport: the test plays the server. The clock
/// moves in one-second steps until the expected message shows up, so the host's timers fire as they
/// would (the host may register its timer after any given step; stepping covers that race).
/// </summary>
public sealed class PdClientHostTests
{
    private static readonly Duid s_client = new DuidLl(DuidLl.Ethernet, new ByteString([0x00, 0x0d, 0xb9, 0, 0, 1]));
    private static readonly Duid s_server = new DuidLl(DuidLl.Ethernet, new ByteString([0x02, 0, 0, 0, 0, 0x47]));
    private static readonly IPAddress s_prefix = IPAddress.Parse("2001:db8:1230::");

    [Fact]
    public async Task Host_Binds_SavesTheLease_RenewsAtT1_AndReleasesOnStop()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero));
        var link = new QueueTransport();
        var changes = Channel.CreateUnbounded<PdLeaseChanged>();
        var logs = new List<string>();
        var client = new PdClient(new PdClientConfig(s_client, 1, 60) { FirstSolicitMaxDelay = TimeSpan.Zero }, () => 0.5, () => 0x4242);
        var host = new PdClientHost(client, link, time, c => changes.Writer.WriteAsync(c), logs.Add);
        using var stop = new CancellationTokenSource();
        DateTimeOffset start = time.GetUtcNow();

        Task running = host.RunAsync(null, stop.Token);

        Dhcp6Message solicit = await link.NextSentAsync(time);
        for (int i = 0; i < 5; i++)
        {
            link.Deliver([0xde, 0xad]); // garbage on the port: dropped, logged once a minute at most, nothing else changes
        }

        link.Deliver(Answer(Dhcp6MessageType.Advertise, solicit, new PreferenceOption(255)).ToArray());
        Dhcp6Message request = await link.NextSentAsync(time);
        Assert.Equal(Dhcp6MessageType.Request, request.Type);
        link.Deliver(Answer(Dhcp6MessageType.Reply, request).ToArray());
        PdLeaseChanged bound = await changes.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(s_prefix, bound.Lease!.Prefixes.Single().Prefix);
        Assert.Single(logs, l => l.Contains("malformed datagram of 2 bytes"));

        Dhcp6Message renew = await link.NextSentAsync(time);
        Assert.Equal(Dhcp6MessageType.Renew, renew.Type);
        Assert.InRange((time.GetUtcNow() - start).TotalSeconds, 100, 102); // T1 = 100 s
        link.Deliver(Answer(Dhcp6MessageType.Reply, renew).ToArray());
        PdLeaseChanged renewed = await changes.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(renewed.Lease!.Since > bound.Lease.Since);

        await stop.CancelAsync();
        Dhcp6Message release = await link.NextSentAsync(time);
        Assert.Equal(Dhcp6MessageType.Release, release.Type);
        link.Deliver(Answer(Dhcp6MessageType.Reply, release).ToArray());
        await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(PdState.Stopped, client.State);
        Assert.Null((await changes.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10))).Lease);
    }

    [Fact]
    public async Task Stop_WithoutAnAnswerToRelease_EndsAfterTheReleaseWait()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero));
        var link = new QueueTransport();
        var client = new PdClient(new PdClientConfig(s_client, 1, 60) { FirstSolicitMaxDelay = TimeSpan.Zero }, () => 0.5, () => 7);
        var changes = Channel.CreateUnbounded<PdLeaseChanged>();
        var host = new PdClientHost(client, link, time, c => changes.Writer.WriteAsync(c), _ => { });
        using var stop = new CancellationTokenSource();
        Task running = host.RunAsync(null, stop.Token);
        Dhcp6Message solicit = await link.NextSentAsync(time);
        link.Deliver(Answer(Dhcp6MessageType.Advertise, solicit, new PreferenceOption(255)).ToArray());
        link.Deliver(Answer(Dhcp6MessageType.Reply, await link.NextSentAsync(time)).ToArray());
        Assert.NotNull((await changes.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10))).Lease); // bound before the stop

        await stop.CancelAsync();
        Assert.Equal(Dhcp6MessageType.Release, (await link.NextSentAsync(time)).Type);
        while (!running.IsCompleted)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(running, Task.Delay(10));
        }

        await running; // ended without an answer and without throwing
    }

    private static Dhcp6Message Answer(Dhcp6MessageType type, Dhcp6Message to, params Dhcp6Option[] extra) =>
        new(type, to.TransactionId, [
            new ClientIdOption(s_client), new ServerIdOption(s_server),
            new IaPdOption(1, 100, 160, [new IaPrefixOption(180, 200, 60, s_prefix, [])]), .. extra]);

    /// <summary>The client's side of an in-memory link: what it sends is queued for the test, what the test delivers it receives.</summary>
    private sealed class QueueTransport : IDhcp6ClientTransport
    {
        private readonly Channel<byte[]> _toClient = Channel.CreateUnbounded<byte[]>();
        private readonly Channel<byte[]> _fromClient = Channel.CreateUnbounded<byte[]>();

        private bool _waiting;
        private int _delivered;
        private int _consumed;

        /// <summary>
        /// The host has taken every datagram delivered and waits for the next: it has handled all it was
        /// given. (A count, not the queue's length: a waiting reader takes an item before it runs.)
        /// </summary>
        private bool HostIsIdle => Volatile.Read(ref _waiting) && Volatile.Read(ref _consumed) == Volatile.Read(ref _delivered);

        public void Deliver(byte[] datagram)
        {
            Interlocked.Increment(ref _delivered);
            _toClient.Writer.TryWrite(datagram);
        }

        /// <summary>Steps the fake clock a second at a time until the client sends something.</summary>
        public async Task<Dhcp6Message> NextSentAsync(FakeTimeProvider time)
        {
            for (int i = 0; i < 2000; i++)
            {
                if (_fromClient.Reader.TryRead(out byte[]? sent))
                {
                    return Dhcp6Message.Parse(sent);
                }

                Task<bool> ready = _fromClient.Reader.WaitToReadAsync().AsTask();
                if (await Task.WhenAny(ready, Task.Delay(20)) != ready && HostIsIdle && _fromClient.Reader.Count == 0)
                {
                    time.Advance(TimeSpan.FromSeconds(1)); // only once the host has handled everything delivered
                }
            }

            throw new TimeoutException("the client sent nothing");
        }

        public ValueTask SendAsync(ReadOnlyMemory<byte> packet, CancellationToken cancellationToken) =>
            _fromClient.Writer.WriteAsync(packet.ToArray(), cancellationToken);

        public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
        {
            Volatile.Write(ref _waiting, true);
            byte[] datagram = await _toClient.Reader.ReadAsync(cancellationToken);
            Volatile.Write(ref _waiting, false);
            Interlocked.Increment(ref _consumed);
            datagram.CopyTo(buffer);
            return datagram.Length;
        }

        public void Dispose()
        {
        }
    }
}
