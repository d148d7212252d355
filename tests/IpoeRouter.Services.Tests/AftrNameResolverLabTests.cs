using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using IpoeRouter.Lab;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Protocols.Dns;
using IpoeRouter.Services.DsLite;
using Xunit;

namespace IpoeRouter.Services.Tests;

/// <summary>
/// The AFTR name resolver against dnsmasq: two fresh namespaces, the router (2001:db8::1 on v0) and
/// the ISP (dnsmasq on 2001:db8::53; 2001:db8::54 assigned with nothing listening; 2001:db8::55 on
/// the link but nobody's), joined by a veth. The resolver's sockets are opened in the router's
/// namespace, with the default options (port 53, 2 s, one retry).
/// </summary>
public sealed class AftrNameResolverLabTests
{
    private static readonly IPAddress Dnsmasq = IPAddress.Parse("2001:db8::53");
    private static readonly IPAddress NoListener = IPAddress.Parse("2001:db8::54");
    private static readonly IPAddress Nobody = IPAddress.Parse("2001:db8::55");
    private static readonly IPAddress Aftr = IPAddress.Parse("2001:db8:aa::1");

    [NetnsFact]
    public async Task Resolve_Dnsmasq_AaaaWithItsTtl()
    {
        using var lab = new AftrDnsLab();

        AftrAnswer a = await lab.Resolver().ResolveAsync("aftr.example", [Dnsmasq], CancellationToken.None);

        Assert.True(a.Resolved, a.Detail);
        Assert.Equal(Aftr, a.Address);
        Assert.Equal(new[] { Aftr }, a.Addresses);
        Assert.Equal(TimeSpan.FromSeconds(300), a.Ttl);
        Assert.Equal(Dnsmasq, a.Server);
        Assert.Equal("aftr.example AAAA 2001:db8:aa::1 from 2001:db8::53, TTL 300 s", a.Detail);
    }

    [NetnsFact]
    public async Task Resolve_UnknownName_NxdomainNamingTheServer()
    {
        using var lab = new AftrDnsLab();

        AftrAnswer a = await lab.Resolver().ResolveAsync("missing.example", [Dnsmasq], CancellationToken.None);

        Assert.False(a.Resolved);
        Assert.Equal(Dnsmasq, a.Server);
        Assert.Equal("missing.example AAAA unresolved: 2001:db8::53: NXDOMAIN", a.Detail);
    }

    [NetnsFact]
    public async Task Resolve_FirstServersDeadOrSilent_DnsmasqAnswersAndTheDetailSaysTheOthersDidNot()
    {
        using var lab = new AftrDnsLab();
        var clock = Stopwatch.StartNew();

        AftrAnswer a = await lab.Resolver().ResolveAsync("aftr.example", [NoListener, Nobody, Dnsmasq], CancellationToken.None);

        Assert.Equal(Aftr, a.Address);
        Assert.Equal(Dnsmasq, a.Server);
        Assert.EndsWith("(before: 2001:db8::54: port 53 unreachable; 2001:db8::55: no answer in 2 s)", a.Detail, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(4));
    }

    [NetnsFact]
    public async Task Resolve_Cname_FollowedToTheAftrWithTheChainsSmallestTtl()
    {
        using var lab = new AftrDnsLab();

        AftrAnswer a = await lab.Resolver().ResolveAsync("gw.example", [Dnsmasq], CancellationToken.None);

        Assert.Equal(Aftr, a.Address);
        Assert.Equal(TimeSpan.FromSeconds(60), a.Ttl);
        Assert.Contains("via CNAME aftr.example", a.Detail, StringComparison.Ordinal);
    }

    [NetnsFact]
    public async Task Resolve_TooManyAddressesForUdp_AskedAgainOverTcpAndAllKept()
    {
        using var lab = new AftrDnsLab();

        AftrAnswer a = await lab.Resolver().ResolveAsync("big.example", [Dnsmasq], CancellationToken.None);

        // Over UDP without EDNS dnsmasq sends 17 of them with TC set; all 24 come only over TCP.
        Assert.Equal(AftrDnsLab.BigCount, a.Addresses.Count);
        Assert.Equal(a.Addresses[0], a.Address);
        Assert.Contains("and 23 more", a.Detail, StringComparison.Ordinal);
    }

    /// <summary>The two namespaces and dnsmasq; dnsmasq stopped by pid and the namespaces deleted on dispose, also after a failure.</summary>
    private sealed class AftrDnsLab : IDisposable
    {
        public const int BigCount = 24;

        private readonly NetnsFixture _rtr, _isp = null!;
        private readonly string _dir = null!;
        private readonly StringBuilder _output = new();
        private readonly Process? _dnsmasq;

        public AftrDnsLab()
        {
            _rtr = new NetnsFixture();
            try
            {
                _isp = new NetnsFixture();
                _dir = Directory.CreateTempSubdirectory("ipoe-aftr-dns-").FullName;
                _rtr.InNs("link set v1 name wan0");
                _rtr.InNs($"link set wan0 netns {_isp.Name}");
                _rtr.InNs("addr add 2001:db8::1/64 dev v0 nodad");
                _isp.InNs($"addr add {Dnsmasq}/64 dev wan0 nodad");
                _isp.InNs($"addr add {NoListener}/64 dev wan0 nodad");
                _rtr.InNs("link set v0 up");
                _isp.InNs("link set wan0 up");

                List<string> args =
                [
                    "--no-daemon", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--port=53",
                    $"--listen-address={Dnsmasq}", "--bind-interfaces", "--local-ttl=300", "--user=root",
                    "--local=/example/", $"--host-record=aftr.example,{Aftr}", "--cname=gw.example,aftr.example,60",
                    "--log-queries", "--log-facility=-", $"--pid-file={_dir}/dnsmasq.pid",
                ];
                args.AddRange(Enumerable.Range(1, BigCount).Select(i => $"--host-record=big.example,2001:db8:bb::{i:x}"));
                _dnsmasq = NamespaceProcess.Start(_isp.Name, "/usr/sbin/dnsmasq", args, _output);
                WaitForDnsmasq();
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public AftrNameResolver Resolver()
        {
            NetworkNamespace rtr = NetworkNamespace.Named(_rtr.Name);
            return new AftrNameResolver(new AftrNameResolverOptions { SocketFactory = (f, t, p) => rtr.Run(() => new Socket(f, t, p)) });
        }

        private string Output()
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }

        private void WaitForDnsmasq()
        {
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                if (_dnsmasq!.HasExited)
                {
                    throw new InvalidOperationException($"dnsmasq exited ({_dnsmasq.ExitCode}):\n{Output()}");
                }

                using Socket s = NetworkNamespace.Named(_rtr.Name).Run(() => new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp));
                s.ReceiveTimeout = 300;
                s.Connect(new IPEndPoint(Dnsmasq, 53));
                s.Send(new DnsMessage { Id = 1, Flags = DnsMessage.QueryFlags(), Questions = [new DnsQuestion(DnsName.Parse("ready.example"), DnsType.Aaaa)] }.ToArray());
                try
                {
                    s.Receive(new byte[512]);
                    return;
                }
                catch (SocketException)
                {
                    Thread.Sleep(100);
                }
            }

            throw new TimeoutException($"dnsmasq did not answer in 10 s:\n{Output()}");
        }

        public void Dispose()
        {
            NamespaceProcess.Stop(_dnsmasq);
            _dnsmasq?.Dispose();
            _isp?.Dispose();
            _rtr.Dispose();
            if (_dir is not null)
            {
                Directory.Delete(_dir, recursive: true);
            }
        }
    }
}
