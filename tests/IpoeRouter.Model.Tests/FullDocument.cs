using System.Net;

namespace IpoeRouter.Model.Tests;

/// <summary>
/// A valid document built in code that uses every resource kind, every optional property and
/// every binding, for round-trip tests.
/// </summary>
internal static class FullDocument
{
    private static IPAddress A(string text) => IPAddress.Parse(text);

    private static IPNetwork N(string text) => IPNetwork.Parse(text);

    private static StaticAddress Static(string address, int length) => new(new InterfaceAddress(A(address), length));

    public static RouterDocument Build() => new()
    {
        Version = RouterDocument.CurrentVersion,
        Interfaces =
        [
            new Interface("enp1s0")
            {
                Role = InterfaceRole.Wan,
                Up = true,
                Mtu = 1500,
                Dhcp4 = true,
                AcceptRa = true,
                Addresses = [Static("2001:db8:ffff::2", 64)],
            },
            new Interface("enp2s0")
            {
                Role = InterfaceRole.Lan,
                Up = true,
                Mtu = 9000,
                Dhcp4 = false,
                AcceptRa = false,
                Addresses = [Static("192.0.2.1", 24), new DelegatedAddress("hgw", 1, A("::1"))],
            },
            new Interface("enp3s0")
            {
                Role = InterfaceRole.Lan,
                Addresses = [Static("198.51.100.1", 24), new DelegatedAddress("hgw", 2, A("::cafe:0:0:1"))],
            },
            new Interface("enp4s0") { Up = false },
        ],
        PrefixDelegations =
        [
            new PrefixDelegation("hgw", "enp1s0")
            {
                PrefixLength = 56,
                Duid = DuidType.Llt,
                RapidCommit = true,
                Downstreams =
                [
                    new Downstream("enp2s0", 1) { Host = A("::1") },
                    new Downstream("enp3s0", 2),
                ],
            },
        ],
        Tunnels =
        [
            new Tunnel("ip6tnl1", new StaticRemote(A("2001:db8::feed:100")), new InterfaceLocal("enp1s0"))
            {
                Kind = TunnelKind.DsLite,
                Mtu = 1460,
                HopLimit = 64,
                EncapLimit = 4,
                DefaultRoute = true,
                Backend = TunnelBackend.Userspace,
                Probe = A("192.0.0.1"),
            },
            new Tunnel("ip6tnl2", new FqdnRemote("aftr.example.net"), new StaticLocal(A("2001:db8:ffff::2")))
            {
                DefaultRoute = false,
                Backend = TunnelBackend.Kernel,
                Probe = A("2001:db8::feed:100"),
            },
            new Tunnel("mape0", new DiscoveredRemote(RemoteDiscovery.Dhcpv6), new InterfaceLocal("enp1s0"))
            {
                Kind = TunnelKind.MapE,
                DefaultRoute = false,
                Exist = false,
            },
        ],
        Routes =
        [
            new Route(N("203.0.113.0/24")) { Gateway = A("198.51.100.254"), Interface = "enp3s0", Metric = 100 },
            new Route(N("2001:db8:aaaa::/48")) { Gateway = A("fe80::1"), Interface = "enp1s0", Metric = 1024 },
            new Route(N("192.0.2.128/25")) { Interface = "enp2s0", Exist = false },
        ],
        DhcpScopes =
        [
            new DhcpScope("home", "enp2s0")
            {
                Range = new AddressRange(A("192.0.2.100"), A("192.0.2.199")),
                LeaseTime = TimeSpan.FromMinutes(90),
                Router = A("192.0.2.1"),
                DnsServers = [A("192.0.2.1")],
                NtpServers = [A("192.0.2.1"), A("192.0.2.2")],
                Domain = "home.arpa",
                SearchList = ["home.arpa", "example.com"],
                Ipv6Mode = Ipv6Mode.Stateless,
                Reservations =
                [
                    new DhcpReservation(A("192.0.2.10")) { Mac = "00:0d:b9:00:00:10", ClientId = "01:00:0d:b9:00:00:10", Hostname = "nas" },
                    new DhcpReservation(A("192.0.2.11")) { ClientId = "ff:00:00:00:01" },
                ],
            },
            new DhcpScope("enp3s0", "enp3s0")
            {
                Range = new AddressRange(A("198.51.100.100"), A("198.51.100.199")),
                LeaseTime = TimeSpan.FromHours(1),
                Ipv6Mode = Ipv6Mode.RaOnly,
            },
        ],
        DnsForwarder = new DnsForwarder
        {
            Enabled = true,
            Interfaces = ["enp2s0", "enp3s0"],
            Upstreams = [A("198.51.100.53"), A("2001:db8::53")],
            UseLearnedUpstreams = false,
            CacheSize = 5000,
        },
        Firewall = new FirewallPolicy
        {
            Input = ChainPolicy.Drop,
            Forward = ChainPolicy.Drop,
            Output = ChainPolicy.Accept,
            ClampMss = false,
        },
        FirewallRules =
        [
            new FirewallRule("in-ssh-lan", "input")
            {
                Family = FirewallFamily.Inet,
                InputInterface = "enp2s0",
                Protocol = "tcp",
                SourcePorts = [new PortRange(1024, 65535)],
                DestinationPorts = [new PortRange(22, 22), new PortRange(8080, 8090)],
                Source = new LanSubnetMatch("enp2s0"),
                ConnectionStates = [ConnectionState.New],
                TcpFlags = new TcpFlagsMatch([TcpFlag.Syn, TcpFlag.Rst, TcpFlag.Ack], [TcpFlag.Syn]),
                Action = RuleVerdict.Accept,
                Comment = "ssh from the LAN",
            },
            new FirewallRule("in-ping", "input")
            {
                Family = FirewallFamily.Ip,
                Protocol = "icmp",
                IcmpTypes = [8, 0],
                Source = new PrefixMatch(N("192.0.2.0/24")),
                Destination = new PrefixMatch(N("192.0.2.1/32")),
                Action = RuleVerdict.Accept,
            },
            new FirewallRule("in-icmpv6", "input")
            {
                Family = FirewallFamily.Ip6,
                Protocol = "icmpv6",
                Icmpv6Types = [134, 135, 136, 200],
                Source = new PrefixMatch(N("fe80::/10")),
                Action = RuleVerdict.Accept,
            },
            new FirewallRule("in-icmpv6-flood", "input")
            {
                Family = FirewallFamily.Ip6,
                Protocol = "icmpv6",
                Jump = "icmpflood",
            },
            new FirewallRule("icmpflood-drop", "icmpflood")
            {
                Limit = new RateLimit(5, RateUnit.Second) { Burst = 10, Over = true, PerSource = true },
                Log = new LogAction("ip6tables[ICMP-flood]: "),
                Action = RuleVerdict.Drop,
            },
            new FirewallRule("icmpflood-accept", "icmpflood") { Action = RuleVerdict.Return },
            new FirewallRule("fwd-lan-v6", "forward")
            {
                InputInterface = "enp2s0",
                OutputInterface = "enp1s0",
                Source = new DelegatedPrefixMatch("hgw"),
                Action = RuleVerdict.Accept,
            },
            new FirewallRule("out-aftr", "output")
            {
                OutputInterface = "enp1s0",
                Destination = new TunnelRemoteMatch("ip6tnl1"),
                Limit = new RateLimit(100, RateUnit.Minute),
                Action = RuleVerdict.Accept,
            },
            new FirewallRule("fwd-guest-log", "forward")
            {
                InputInterface = "enp3s0",
                Protocol = "udp",
                DestinationPorts = [new PortRange(53, 53)],
                Log = new LogAction("guest dns: "),
            },
            new FirewallRule("fwd-guest-reject", "forward") { InputInterface = "enp3s0", Protocol = "47", Action = RuleVerdict.Reject },
        ],
        Sysctl =
        [
            new SysctlSetting("net.ipv6.conf.all.forwarding", "1"),
            new SysctlSetting("net.ipv4.ip_forward", "1"),
            new SysctlSetting("net.ipv4.conf.all.rp_filter", "1"),
            new SysctlSetting("net.ipv4.tcp_rmem", "4096 131072 6291456"),
        ],
    };
}
