using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using IpoeRouter.Lab;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Protocols.Dns;
using IpoeRouter.Services.DnsForwarder;
using Xunit;

namespace IpoeRouter.Services.Tests;

/// <summary>
/// The forwarder on real sockets: three namespaces, a LAN client (192.0.2.10, 2001:db8:1::10) on the
/// router's lan0 (192.0.2.1, 2001:db8:1::1), the router, and dnsmasq as the upstream on the WAN side
/// (198.51.100.2; the router's WAN end is 198.51.100.1). Queries over UDP and TCP are answered through
/// dnsmasq and then from the cache; the same LAN addresses asked from the WAN side stay silent.
/// </summary>
public sealed class DnsForwarderLabTests
{
    private const int Port = 5300;

    [NetnsFact]
    public async Task Forwarder_AnswersLanOverUdpAndTcp_CachesAndIsDeafOnTheWan()
    {
        using var lab = new ForwarderLab();
        lab.Host.SetUpstreams([IPAddress.Parse("198.51.100.2")]);

        DnsMessage first = lab.AskUdp(IPAddress.Parse("192.0.2.1"), "host.example.test", DnsType.A);
        Assert.Equal(DnsResponseCode.NoError, first.ResponseCode);
        Assert.Equal(new DnsAddressData(IPAddress.Parse("192.0.2.99")), Assert.Single(first.Answers).Data);
        Assert.Equal(1, lab.Host.Counters.Forwarded);

        DnsMessage second = lab.AskUdp(IPAddress.Parse("192.0.2.1"), "host.example.test", DnsType.A);
        Assert.Equal(new DnsAddressData(IPAddress.Parse("192.0.2.99")), Assert.Single(second.Answers).Data);
        Assert.Equal((1L, 1L), (lab.Host.Counters.Forwarded, lab.Host.Counters.CacheHits));

        DnsMessage overTcp = lab.AskTcp(IPAddress.Parse("192.0.2.1"), "www.example.test", DnsType.A);
        Assert.Equal(new DnsAddressData(IPAddress.Parse("192.0.2.98")), Assert.Single(overTcp.Answers).Data);
        DnsMessage overV6 = lab.AskUdp(IPAddress.Parse("2001:db8:1::1"), "www.example.test", DnsType.A);
        Assert.Equal(new DnsAddressData(IPAddress.Parse("192.0.2.98")), Assert.Single(overV6.Answers).Data);
        Assert.Equal((2L, 2L), (lab.Host.Counters.Forwarded, lab.Host.Counters.CacheHits));

        DnsMessage local = lab.AskUdp(IPAddress.Parse("192.0.2.1"), "laptop.home.arpa", DnsType.A);
        Assert.Equal(new DnsAddressData(IPAddress.Parse("192.0.2.20")), Assert.Single(local.Answers).Data);

        // From the WAN's side, to the LAN addresses the forwarder listens on: the upstream routes the
        // LAN through the router and nothing filters, so the packets do reach the router (a socket bound
        // to the same address without a device hears them) - the forwarder's, tied to lan0, does not.
        lab.RouteLanThroughRouterFromUpstream();
        foreach (IPAddress lanAddress in new[] { IPAddress.Parse("192.0.2.1"), IPAddress.Parse("2001:db8:1::1") })
        {
            Assert.True(lab.ReachesRouterFromUpstream(lanAddress), $"a datagram from the WAN to {lanAddress} does not reach the router at all");
            Assert.Null(lab.TryAskUdpFromUpstream(lanAddress, "host.example.test"));
            Assert.False(lab.ConnectsTcpFromUpstream(lanAddress), $"the forwarder took a TCP connection to {lanAddress} that came in on the WAN");
        }

        Assert.Equal(2L, lab.Host.Counters.Forwarded);
        Assert.Contains("host.example.test", lab.DnsmasqOutput(), StringComparison.Ordinal);

        // No upstream: SERVFAIL at once. A silent first upstream: the next one answers after its timeout.
        lab.Host.SetUpstreams([]);
        var clock = Stopwatch.StartNew();
        Assert.Equal(DnsResponseCode.ServFail, lab.AskUdp(IPAddress.Parse("192.0.2.1"), "other.example.test", DnsType.A).ResponseCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"SERVFAIL took {clock.Elapsed}");
        Assert.Equal(1L, lab.Host.Counters.Failures);
        lab.Host.SetUpstreams([IPAddress.Parse("198.51.100.3"), IPAddress.Parse("198.51.100.2")]);
        DnsMessage afterRetry = lab.AskTcp(IPAddress.Parse("192.0.2.1"), "late.host.example.test", DnsType.A);
        Assert.Equal(new DnsAddressData(IPAddress.Parse("192.0.2.99")), Assert.Single(afterRetry.Answers).Data);

        // An upstream whose UDP answer is truncated: the forwarder asks it again over TCP.
        using TruncatingUpstream truncating = lab.StartTruncatingUpstream();
        lab.Host.SetUpstreams([TruncatingUpstream.Address]);
        DnsMessage viaTcp = lab.AskUdp(IPAddress.Parse("192.0.2.1"), "big.example.test", DnsType.A);
        Assert.False(viaTcp.Truncated);
        Assert.Equal(new DnsAddressData(IPAddress.Parse("192.0.2.77")), Assert.Single(viaTcp.Answers).Data);
        Assert.Equal((1, 1), (truncating.UdpQueries, truncating.TcpQueries));

        // The port on that address is now ours: a second forwarder is told who holds it.
        var e = Assert.Throws<IpoeRouter.Services.Hosting.PortInUseException>(() => lab.OpenAnother());
        Assert.Contains($"UDP {Port}) on 192.0.2.1 (lan0) is held by", e.Message, StringComparison.Ordinal);
    }

    [NetnsFact]
    public void Forwarder_FollowsItsListenAddresses_KeepingTheOnesThatStay()
    {
        using var lab = new ForwarderLab();
        lab.Host.SetUpstreams([IPAddress.Parse("198.51.100.2")]);
        var v4 = new DnsListenAddress("lan0", IPAddress.Parse("192.0.2.1"));
        var oldV6 = new DnsListenAddress("lan0", IPAddress.Parse("2001:db8:1::1"));
        var newV6 = new DnsListenAddress("lan0", IPAddress.Parse("2001:db8:2::1"));
        lab.AddRouterAddress("2001:db8:2::1/64");

        // The delegated prefix moved: the new LAN address answers, the old one no longer does; IPv4 answers throughout.
        lab.InRouter(() => lab.Host.SetListenAddresses([v4, newV6]));
        Assert.Equal(new[] { v4, newV6 }, lab.Host.Listening.OrderBy(l => l.Address.AddressFamily));
        Assert.Equal(DnsResponseCode.NoError, lab.AskUdp(newV6.Address, "host.example.test", DnsType.A).ResponseCode);
        Assert.Equal(DnsResponseCode.NoError, lab.AskTcp(newV6.Address, "host.example.test", DnsType.A).ResponseCode);
        Assert.Null(lab.TryAskUdpFromClient(oldV6.Address, "host.example.test"));
        Assert.Equal(DnsResponseCode.NoError, lab.AskUdp(v4.Address, "host.example.test", DnsType.A).ResponseCode);

        // A port another program holds on a new address: an error naming it, and nothing changed.
        using var squatter = lab.BindOnRouter(IPAddress.Parse("2001:db8:2::2"));
        var e = Assert.Throws<IpoeRouter.Services.Hosting.PortInUseException>(() =>
            lab.InRouter(() => lab.Host.SetListenAddresses([v4, new DnsListenAddress("lan0", IPAddress.Parse("2001:db8:2::2"))])));
        Assert.Contains("2001:db8:2::2", e.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { v4, newV6 }, lab.Host.Listening.OrderBy(l => l.Address.AddressFamily));
        Assert.Equal(DnsResponseCode.NoError, lab.AskUdp(newV6.Address, "host.example.test", DnsType.A).ResponseCode);
    }

    /// <summary>A fake upstream on 198.51.100.4:53: over UDP it answers with TC set and no records, over TCP in full.</summary>
    private sealed class TruncatingUpstream : IDisposable
    {
        public static readonly IPAddress Address = IPAddress.Parse("198.51.100.4");

        private readonly Socket _udp, _tcp;
        private readonly Thread _udpThread, _tcpThread;
        private int _udpQueries, _tcpQueries;

        public TruncatingUpstream(NetworkNamespace ns)
        {
            _udp = ns.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
            _udp.Bind(new IPEndPoint(Address, 53));
            _tcp = ns.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
            _tcp.Bind(new IPEndPoint(Address, 53));
            _tcp.Listen(4);
            _udpThread = new Thread(ServeUdp) { IsBackground = true };
            _tcpThread = new Thread(ServeTcp) { IsBackground = true };
            _udpThread.Start();
            _tcpThread.Start();
        }

        public int UdpQueries => Volatile.Read(ref _udpQueries);

        public int TcpQueries => Volatile.Read(ref _tcpQueries);

        private static DnsMessage Reply(DnsMessage q, bool truncated)
        {
            ushort flags = DnsMessage.ResponseFlags(q, DnsResponseCode.NoError, authoritative: true);
            return truncated
                ? new DnsMessage { Id = q.Id, Flags = DnsMessage.WithTruncated(flags), Questions = q.Questions }
                : new DnsMessage { Id = q.Id, Flags = flags, Questions = q.Questions, Answers = [DnsRecord.A(q.Questions[0].Name, IPAddress.Parse("192.0.2.77"), 300)] };
        }

        private void ServeUdp()
        {
            byte[] buffer = new byte[4096];
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            try
            {
                while (true)
                {
                    int n = _udp.ReceiveFrom(buffer, ref from);
                    Interlocked.Increment(ref _udpQueries);
                    _udp.SendTo(Reply(DnsMessage.Parse(buffer.AsSpan(0, n)), truncated: true).ToArray(), from);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // closed
            }
        }

        private void ServeTcp()
        {
            try
            {
                while (true)
                {
                    using Socket c = _tcp.Accept();
                    byte[] prefix = ForwarderLab.ReadExactly(c, 2);
                    DnsMessage q = DnsMessage.Parse(ForwarderLab.ReadExactly(c, BinaryPrimitives.ReadUInt16BigEndian(prefix)));
                    Interlocked.Increment(ref _tcpQueries);
                    byte[] body = Reply(q, truncated: false).ToArray();
                    byte[] framed = new byte[body.Length + 2];
                    BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)body.Length);
                    body.CopyTo(framed, 2);
                    c.Send(framed);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // closed
            }
        }

        public void Dispose()
        {
            _udp.Dispose();
            _tcp.Dispose();
        }
    }

    /// <summary>The three namespaces, dnsmasq and the forwarder; everything stopped and deleted on dispose.</summary>
    private sealed class ForwarderLab : IDisposable
    {
        private readonly NetnsFixture _rtr = new();
        private readonly NetnsFixture _up = new();
        private readonly NetnsFixture _cli = new();
        private readonly string _dir = Directory.CreateTempSubdirectory("ipoe-dns-").FullName;
        private readonly StringBuilder _dnsmasqOutput = new();
        private readonly CancellationTokenSource _stop = new();
        private Process? _dnsmasq;
        private Task? _run;

        public ForwarderLab()
        {
            try
            {
                // router v0 <-> up0 in the upstream namespace; client v0 <-> lan0 in the router
                _rtr.InNs("link set v1 name up0");
                _rtr.InNs($"link set up0 netns {_up.Name}");
                _cli.InNs("link set v1 name lan0");
                _cli.InNs($"link set lan0 netns {_rtr.Name}");
                _rtr.InNs("addr add 198.51.100.1/24 dev v0");
                _rtr.InNs("addr add 192.0.2.1/24 dev lan0");
                _rtr.InNs("addr add 2001:db8:1::1/64 dev lan0 nodad");
                _up.InNs("addr add 198.51.100.2/24 dev up0");
                _cli.InNs("addr add 192.0.2.10/24 dev v0");
                _cli.InNs("addr add 2001:db8:1::10/64 dev v0 nodad");
                _rtr.InNs("link set v0 up");
                _rtr.InNs("link set lan0 up");
                _up.InNs("link set up0 up");
                _cli.InNs("link set v0 up");

                _dnsmasq = NamespaceProcess.Start(_up.Name, "/usr/sbin/dnsmasq",
                [
                    "--no-daemon", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--port=53",
                    "--listen-address=198.51.100.2", "--bind-interfaces", "--local-ttl=300", "--user=root",
                    "--address=/host.example.test/192.0.2.99", "--host-record=www.example.test,192.0.2.98",
                    "--log-queries", "--log-facility=-", $"--pid-file={_dir}/dnsmasq.pid",
                ], _dnsmasqOutput);
                WaitForDnsmasq();

                var names = new LocalNames("home.arpa");
                names.Set("laptop", IPAddress.Parse("192.0.2.20"));
                NetworkNamespace rtr = NetworkNamespace.Named(_rtr.Name);
                var options = new DnsForwarderOptions
                {
                    Port = Port,
                    UpstreamSocketFactory = (f, t, p) => rtr.Run(() => new Socket(f, t, p)),
                };
                Host = rtr.Run(() => DnsForwarderHost.Open(
                    [new DnsListenAddress("lan0", IPAddress.Parse("192.0.2.1")), new DnsListenAddress("lan0", IPAddress.Parse("2001:db8:1::1"))],
                    new DnsResolverCore(names, TimeProvider.System), options, _ => { }));
                _run = Host.RunAsync(_stop.Token);
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public DnsForwarderHost Host { get; private set; } = null!;

        public TruncatingUpstream StartTruncatingUpstream()
        {
            _up.InNs($"addr add {TruncatingUpstream.Address}/24 dev up0");
            return new TruncatingUpstream(NetworkNamespace.Named(_up.Name));
        }

        public DnsForwarderHost OpenAnother() =>
            NetworkNamespace.Named(_rtr.Name).Run(() => DnsForwarderHost.Open(
                [new DnsListenAddress("lan0", IPAddress.Parse("192.0.2.1"))],
                new DnsResolverCore(new LocalNames("home.arpa"), TimeProvider.System), new DnsForwarderOptions { Port = Port }, _ => { }));

        public string DnsmasqOutput()
        {
            lock (_dnsmasqOutput)
            {
                return _dnsmasqOutput.ToString();
            }
        }

        public DnsMessage AskUdp(IPAddress server, string name, DnsType type) =>
            TryAsk(_cli.Name, server, name, type) ?? throw new TimeoutException($"no answer from {server} for {name}; dnsmasq said:\n{DnsmasqOutput()}");

        public DnsMessage? TryAskUdpFromUpstream(IPAddress server, string name) => TryAsk(_up.Name, server, name, DnsType.A);

        /// <summary>
        /// Gives the WAN link IPv6 too (router 2001:db8:ff::1, upstream 2001:db8:ff::2) and routes the
        /// LAN's subnets from the upstream through the router, so a packet sent there arrives on the router's WAN.
        /// </summary>
        public void RouteLanThroughRouterFromUpstream()
        {
            _rtr.InNs("addr add 2001:db8:ff::1/64 dev v0 nodad");
            _up.InNs("addr add 2001:db8:ff::2/64 dev up0 nodad");
            _up.InNs("route add 192.0.2.0/24 via 198.51.100.1");
            _up.InNs("-6 route add 2001:db8:1::/64 via 2001:db8:ff::1");
        }

        /// <summary>Whether a datagram from the upstream to <paramref name="address"/> reaches a plain socket on the router (bound to that address, any device, another port).</summary>
        public bool ReachesRouterFromUpstream(IPAddress address)
        {
            using Socket listener = InRouter(() => new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp));
            listener.Bind(new IPEndPoint(address, Port + 1));
            using Socket sender = NetworkNamespace.Named(_up.Name).Run(() => new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp));
            sender.SendTo("probe"u8.ToArray(), new IPEndPoint(address, Port + 1));
            return listener.Poll(TimeSpan.FromSeconds(5), SelectMode.SelectRead);
        }

        /// <summary>Whether a TCP connection from the upstream to <paramref name="address"/> and the forwarder's port is taken.</summary>
        public bool ConnectsTcpFromUpstream(IPAddress address)
        {
            using Socket s = NetworkNamespace.Named(_up.Name).Run(() => new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp));
            try
            {
                return s.ConnectAsync(new IPEndPoint(address, Port)).Wait(TimeSpan.FromSeconds(3)) && s.Connected;
            }
            catch (AggregateException e) when (e.InnerException is SocketException)
            {
                return false;
            }
        }

        public DnsMessage? TryAskUdpFromClient(IPAddress server, string name) => TryAsk(_cli.Name, server, name, DnsType.A);

        /// <summary>Adds an address to the router's lan0; the client reaches its /64 on link.</summary>
        public void AddRouterAddress(string cidr)
        {
            _rtr.InNs($"addr add {cidr} dev lan0 nodad");
            _cli.InNs($"-6 route replace {IPNetwork.Parse(cidr).BaseAddress}/64 dev v0");
        }

        public T InRouter<T>(Func<T> action) => NetworkNamespace.Named(_rtr.Name).Run(action);

        public void InRouter(Action action) => NetworkNamespace.Named(_rtr.Name).Run(() =>
        {
            action();
            return 0;
        });

        /// <summary>Another program's UDP socket on <paramref name="address"/> and the forwarder's port (the address is added to lan0 first).</summary>
        public Socket BindOnRouter(IPAddress address)
        {
            AddRouterAddress($"{address}/64");
            return InRouter(() =>
            {
                var s = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
                s.Bind(new IPEndPoint(address, Port));
                return s;
            });
        }

        public DnsMessage AskTcp(IPAddress server, string name, DnsType type)
        {
            using Socket s = NetworkNamespace.Named(_cli.Name).Run(() => new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp));
            s.ReceiveTimeout = 5000;
            s.Connect(new IPEndPoint(server, Port));
            DnsMessage query = Query(name, type);
            byte[] body = query.ToArray();
            byte[] framed = new byte[body.Length + 2];
            BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)body.Length);
            body.CopyTo(framed, 2);
            s.Send(framed);
            byte[] prefix = ReadExactly(s, 2);
            DnsMessage answer = DnsMessage.Parse(ReadExactly(s, BinaryPrimitives.ReadUInt16BigEndian(prefix)));
            Assert.Equal(query.Id, answer.Id);
            return answer;
        }

        internal static byte[] ReadExactly(Socket s, int count)
        {
            byte[] b = new byte[count];
            int read = 0;
            while (read < count)
            {
                int n = s.Receive(b, read, count - read, SocketFlags.None);
                Assert.True(n > 0, "the forwarder closed the TCP connection");
                read += n;
            }

            return b;
        }

        private static DnsMessage Query(string name, DnsType type) =>
            new() { Id = (ushort)Random.Shared.Next(65536), Flags = DnsMessage.QueryFlags(), Questions = [new DnsQuestion(DnsName.Parse(name), type)] };

        private static DnsMessage? TryAsk(string ns, IPAddress server, string name, DnsType type)
        {
            using Socket s = NetworkNamespace.Named(ns).Run(() => new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp));
            s.ReceiveTimeout = 5000;
            s.Connect(new IPEndPoint(server, Port));
            DnsMessage query = Query(name, type);
            s.Send(query.ToArray());
            byte[] buffer = new byte[4096];
            try
            {
                int n = s.Receive(buffer);
                DnsMessage answer = DnsMessage.Parse(buffer.AsSpan(0, n));
                Assert.Equal(query.Id, answer.Id);
                return answer;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.ConnectionRefused)
            {
                return null; // ICMP port unreachable, or silence
            }
        }

        private void WaitForDnsmasq()
        {
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                if (_dnsmasq!.HasExited)
                {
                    throw new InvalidOperationException($"dnsmasq exited ({_dnsmasq.ExitCode}):\n{DnsmasqOutput()}");
                }

                if (TryAskDirect() is not null)
                {
                    return;
                }
            }

            throw new TimeoutException($"dnsmasq did not answer in 10 s:\n{DnsmasqOutput()}");
        }

        private DnsMessage? TryAskDirect()
        {
            using Socket s = NetworkNamespace.Named(_rtr.Name).Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
            s.ReceiveTimeout = 300;
            s.Connect(new IPEndPoint(IPAddress.Parse("198.51.100.2"), 53));
            s.Send(Query("ready.invalid", DnsType.A).ToArray());
            try
            {
                byte[] buffer = new byte[4096];
                return DnsMessage.Parse(buffer.AsSpan(0, s.Receive(buffer)));
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
                return null;
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            try
            {
                _run?.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
                // reported by the test itself if it mattered
            }

            Host?.Dispose();
            NamespaceProcess.Stop(_dnsmasq);
            _dnsmasq?.Dispose();
            _cli.Dispose();
            _up.Dispose();
            _rtr.Dispose();
            _stop.Dispose();
            Directory.Delete(_dir, recursive: true);
        }
    }
}
