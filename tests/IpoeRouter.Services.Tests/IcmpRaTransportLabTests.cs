using System.Net;
using System.Net.Sockets;
using IpoeRouter.Lab;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Protocols.Icmp6;
using IpoeRouter.Services.Hosting;
using IpoeRouter.Services.RaSender;
using Xunit;

namespace IpoeRouter.Services.Tests;

/// <summary>
/// The RA sender's raw socket against the kernel: a Router Solicitation sent from a host namespace
/// arrives with the hop limit it was sent with (IPV6_HOPLIMIT ancillary data) and its link-local sender.
/// </summary>
public sealed class IcmpRaTransportLabTests
{
    [NetnsFact]
    public async Task ReceiveAsync_ReportsEachSolicitationsHopLimit_AndSender()
    {
        using var router = new NetnsFixture();
        using var host = new NetnsFixture();
        router.InNs($"link set v1 name eth0 netns {host.Name}");
        foreach ((NetnsFixture ns, string link, string address) in new[] { (router, "v0", "fe80::1"), (host, "eth0", "fe80::2") })
        {
            NetnsFixture.Ip($"netns exec {ns.Name} sysctl -qw net.ipv6.conf.{link}.accept_dad=0");
            ns.InNs($"addr add {address}/64 dev {link} nodad");
            ns.InNs($"link set {link} up");
        }

        int v0 = router.Json("link show v0")[0].GetProperty("ifindex").GetInt32();
        int eth0 = host.Json("link show eth0")[0].GetProperty("ifindex").GetInt32();
        using IcmpRaTransport transport = NetworkNamespace.Named(router.Name).Run(() => IcmpRaTransport.Open("v0", v0));
        using Socket sender = NetworkNamespace.Named(host.Name).Run(() => new Socket(AddressFamily.InterNetworkV6, SocketType.Raw, ProtocolType.IcmpV6));
        sender.Bind(new IPEndPoint(new IPAddress(IPAddress.Parse("fe80::2").GetAddressBytes(), eth0), 0));
        var allRouters = new IPEndPoint(new IPAddress(IPAddress.Parse("ff02::2").GetAddressBytes(), eth0), 0);
        byte[] rs = new RouterSolicitation([]).ToArray();
        byte[] buffer = new byte[1500];

        foreach (int hopLimit in new[] { 64, 255, 1 })
        {
            sender.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastTimeToLive, hopLimit);
            sender.SendTo(rs, allRouters);

            Ipv6Datagram got = await transport.ReceiveAsync(buffer, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5));

            Assert.Equal(hopLimit, got.HopLimit);
            Assert.Equal(rs.Length, got.Length);
            Assert.Equal(IPAddress.Parse("fe80::2"), new IPAddress(got.Source!.GetAddressBytes()));
            Assert.Equal(v0, got.Source.ScopeId);
            RouterSolicitation.Parse(buffer.AsSpan(0, got.Length));
        }
    }
}
