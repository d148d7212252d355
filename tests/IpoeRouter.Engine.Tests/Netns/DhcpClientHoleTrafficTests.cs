using System.Net;
using System.Net.Sockets;
using IpoeRouter.Engine.Firewall;
using IpoeRouter.Engine.Planning;
using IpoeRouter.Lab;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Linux.Nft;
using IpoeRouter.Model.Yaml;
using Xunit;

namespace IpoeRouter.Engine.Tests.Netns;

/// <summary>
/// UDP to the WAN's DHCP client ports through the default firewall, from a host namespace on the
/// WAN: only what is shaped like a server's answer reaches the router (DHCPv6 from a link-local
/// address and port 547, DHCPv4 from port 67); the rest is dropped by the input policy.
/// </summary>
public sealed class DhcpClientHoleTrafficTests
{
    private const string Doc = """
        version: 1
        interfaces:
          - { name: v0, role: wan, dhcp4: true }
        """;

    [NetnsFact]
    public void DefaultFirewall_DhcpClientPorts_OnlyServerShapedPacketsGetThrough()
    {
        using var rtr = new NetnsFixture();
        using var wan = new NetnsFixture();
        rtr.InNs($"link set v1 name w0 netns {wan.Name}");
        foreach ((NetnsFixture ns, string link, int host) in new[] { (rtr, "v0", 1), (wan, "w0", 2) })
        {
            NetnsFixture.Ip($"netns exec {ns.Name} sysctl -qw net.ipv6.conf.{link}.accept_dad=0");
            ns.InNs($"addr add fe80::{host}/64 dev {link} nodad");
            ns.InNs($"addr add 2001:db8:15::{host}/64 dev {link} nodad");
            ns.InNs($"addr add 198.51.100.{host}/24 dev {link}");
            ns.InNs($"link set {link} up");
        }

        var rtrNs = NetworkNamespace.Named(rtr.Name);
        var wanNs = NetworkNamespace.Named(wan.Name);
        CompiledFirewall fw = FirewallCompiler.Compile(DocumentLoader.Load(Doc, "doc.yaml").Effective, RuntimeFacts.None);
        rtrNs.Run(() =>
        {
            using var nft = new NftContext();
            return nft.Run(fw.Transaction);
        });

        using Socket client6 = Bound(rtrNs, AddressFamily.InterNetworkV6, IPAddress.IPv6Any, 546);
        using Socket client4 = Bound(rtrNs, AddressFamily.InterNetwork, IPAddress.Any, 68);
        int w0 = WanIndex(wan);
        var routerLinkLocal = new IPAddress(IPAddress.Parse("fe80::1").GetAddressBytes(), w0);

        // What a server sends first, so neighbour discovery and ARP are done before the drops are timed.
        Assert.True(Arrives(wanNs, client6, new IPEndPoint(new IPAddress(IPAddress.Parse("fe80::2").GetAddressBytes(), w0), 547), new IPEndPoint(routerLinkLocal, 546), TimeSpan.FromSeconds(5)),
            "a DHCPv6 answer from a link-local address and port 547 comes in");
        Assert.True(Arrives(wanNs, client4, new IPEndPoint(IPAddress.Parse("198.51.100.2"), 67), new IPEndPoint(IPAddress.Parse("198.51.100.1"), 68), TimeSpan.FromSeconds(5)),
            "a DHCPv4 answer from port 67 comes in");

        Assert.False(Arrives(wanNs, client6, new IPEndPoint(IPAddress.Parse("2001:db8:15::2"), 547), new IPEndPoint(IPAddress.Parse("2001:db8:15::1"), 546), TimeSpan.FromSeconds(1)),
            "UDP 546 from a global address is dropped");
        Assert.False(Arrives(wanNs, client6, new IPEndPoint(new IPAddress(IPAddress.Parse("fe80::2").GetAddressBytes(), w0), 5547), new IPEndPoint(routerLinkLocal, 546), TimeSpan.FromSeconds(1)),
            "UDP 546 from a link-local address but another port than 547 is dropped");
        Assert.False(Arrives(wanNs, client4, new IPEndPoint(IPAddress.Parse("198.51.100.2"), 1067), new IPEndPoint(IPAddress.Parse("198.51.100.1"), 68), TimeSpan.FromSeconds(1)),
            "UDP 68 from another port than 67 is dropped");
    }

    private static Socket Bound(NetworkNamespace ns, AddressFamily family, IPAddress address, int port) => ns.Run(() =>
    {
        var s = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        if (family == AddressFamily.InterNetworkV6)
        {
            s.DualMode = false;
        }

        s.Bind(new IPEndPoint(address, port));
        return s;
    });

    private static int WanIndex(NetnsFixture wan) =>
        wan.Json("link show w0")[0].GetProperty("ifindex").GetInt32();

    /// <summary>Sends one datagram from <paramref name="from"/> (in <paramref name="sender"/>) and says whether <paramref name="receiver"/> got it within <paramref name="within"/>.</summary>
    private static bool Arrives(NetworkNamespace sender, Socket receiver, IPEndPoint from, IPEndPoint to, TimeSpan within)
    {
        using Socket s = Bound(sender, from.AddressFamily, from.Address, from.Port);
        byte[] marker = Guid.NewGuid().ToByteArray();
        s.SendTo(marker, to);
        var buffer = new byte[64];
        DateTime deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (!receiver.Poll(deadline - DateTime.UtcNow, SelectMode.SelectRead))
            {
                return false;
            }

            int n = receiver.Receive(buffer);
            if (buffer.AsSpan(0, n).SequenceEqual(marker))
            {
                return true;
            }
        }

        return false;
    }
}
