using System.Net;
using System.Net.Sockets;
using IpoeRouter.Protocols.Dhcp6;
using IpoeRouter.Protocols.Dns;
using IpoeRouter.Protocols.Wire;
using IpoeRouter.Services.Dhcp4Server;
using IpoeRouter.Services.Dhcp6InfoServer;
using IpoeRouter.Services.DnsForwarder;
using Xunit;
using static IpoeRouter.Services.Tests.Dhcp4ServerFixture;

namespace IpoeRouter.Services.Tests;

/// <summary>
/// A flood of malformed packets costs the servers one log line a minute: the DHCPv4 server, the
/// stateless DHCPv6 server (each on a loopback socket) and the DNS forwarder's upstream answers.
/// (The DHCP clients and the RA sender are covered in their own host tests.)
/// </summary>
public sealed class MalformedFloodLogTests
{
    private const int Flood = 20;

    [Fact]
    public async Task Dhcp4Server_FloodOfGarbage_IsCountedAndLoggedOnce()
    {
        string dir = Directory.CreateTempSubdirectory("dhcp4-flood-").FullName;
        try
        {
            var log = new List<string>();
            await using LeaseJournal journal = LeaseJournal.Open(Path.Combine(dir, "leases"));
            using Socket socket = Loopback(AddressFamily.InterNetwork);
            using Dhcp4ServerHost host = Dhcp4ServerHost.Create(socket, "lan", new ScopeServer(Scope, journal.Table), journal, null, line => { lock (log) { log.Add(line); } });
            using var stop = new CancellationTokenSource();
            Task running = host.RunAsync(TimeProvider.System, stop.Token);

            SendGarbage((IPEndPoint)socket.LocalEndPoint!);
            await WaitUntil(() => host.Received == Flood);

            await stop.CancelAsync();
            await running.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(Flood, host.Unanswered);
            lock (log)
            {
                Assert.Single(log, l => l.Contains("malformed", StringComparison.Ordinal));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Dhcp6InfoServer_FloodOfGarbage_IsLoggedOnce_AndItStillAnswers()
    {
        var log = new List<string>();
        using Socket socket = Loopback(AddressFamily.InterNetworkV6);
        var config = new InfoServerConfig(new DuidLl(DuidLl.Ethernet, new ByteString([2, 0, 0x5e, 0, 0x53, 1])), [IPAddress.Parse("2001:db8::53")], ["home.example"], TimeSpan.FromHours(1));
        using InfoServerHost host = InfoServerHost.Create(socket, "lan", config, line => { lock (log) { log.Add(line); } });
        using var stop = new CancellationTokenSource();
        Task running = host.RunAsync(TimeProvider.System, stop.Token);

        IPEndPoint server = (IPEndPoint)socket.LocalEndPoint!;
        SendGarbage(server);
        using Socket client = Loopback(AddressFamily.InterNetworkV6);
        var inform = new Dhcp6Message(Dhcp6MessageType.InformationRequest, 0x123456, [new ClientIdOption(new DuidLl(DuidLl.Ethernet, new ByteString([2, 0, 0x5e, 0, 0x53, 9]))), new ElapsedTimeOption(0)]);
        client.SendTo(inform.ToArray(), server);
        client.ReceiveTimeout = 5000;
        byte[] buffer = new byte[1500];
        Assert.Equal(Dhcp6MessageType.Reply, Dhcp6Message.Parse(buffer.AsSpan(0, client.Receive(buffer))).Type);

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(5));
        lock (log)
        {
            Assert.Single(log, l => l.Contains("malformed", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task DnsUpstream_FloodOfMalformedAnswers_IsLoggedOnce()
    {
        var log = new List<string>();
        using Socket upstream = Loopback(AddressFamily.InterNetwork);
        using var stop = new CancellationTokenSource();
        Task answering = Task.Run(async () =>
        {
            byte[] buffer = new byte[1500];
            EndPoint any = new IPEndPoint(IPAddress.Any, 0);
            while (!stop.IsCancellationRequested)
            {
                SocketReceiveFromResult q = await upstream.ReceiveFromAsync(buffer, SocketFlags.None, any, stop.Token);
                for (int i = 0; i < Flood / 4; i++)
                {
                    // The query's id, a response header claiming a question, and nothing after it.
                    await upstream.SendToAsync(new byte[] { buffer[0], buffer[1], 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0 }, SocketFlags.None, q.RemoteEndPoint);
                }
            }
        });
        var client = new DnsUpstreamClient(new DnsForwarderOptions { UpstreamPort = ((IPEndPoint)upstream.LocalEndPoint!).Port, UpstreamTimeout = TimeSpan.FromMilliseconds(300) },
            line => { lock (log) { log.Add(line); } })
        {
            Upstreams = [IPAddress.Loopback],
        };

        for (int i = 0; i < 4; i++)
        {
            var query = new DnsMessage { Id = 1, Flags = DnsMessage.QueryFlags(), Questions = [new DnsQuestion(DnsName.Parse("www.example.com"), DnsType.A)] };
            Assert.Null(await client.AskAsync(query, CancellationToken.None));
        }

        await stop.CancelAsync();
        await Task.WhenAny(answering, Task.Delay(1000));
        lock (log)
        {
            Assert.Single(log, l => l.Contains("dropped a malformed answer", StringComparison.Ordinal)); // four came, one line (the rest counted)
        }
    }

    private static Socket Loopback(AddressFamily family)
    {
        var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(family == AddressFamily.InterNetwork ? IPAddress.Loopback : IPAddress.IPv6Loopback, 0));
        return socket;
    }

    private static void SendGarbage(IPEndPoint to)
    {
        using var sender = new Socket(to.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        for (int i = 0; i < Flood; i++)
        {
            sender.SendTo(new byte[] { 0xde, 0xad, (byte)i }, to);
        }
    }

    private static async Task WaitUntil(Func<bool> done)
    {
        for (DateTime until = DateTime.UtcNow.AddSeconds(5); !done(); await Task.Delay(10))
        {
            Assert.True(DateTime.UtcNow < until, "timed out");
        }
    }
}
