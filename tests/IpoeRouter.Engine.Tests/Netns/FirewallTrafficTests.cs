using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using IpoeRouter.Engine.Kernel;
using IpoeRouter.Engine.Planning;
using IpoeRouter.Lab;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Model;
using IpoeRouter.Model.Yaml;
using Xunit;

namespace IpoeRouter.Engine.Tests.Netns;

/// <summary>
/// TCP between a router namespace and a WAN host namespace, through the compiled firewall: a port
/// the rules open, one they do not, and a connection the router starts (replies come back as
/// established). Sockets are made inside each namespace; no traffic leaves them.
/// </summary>
public sealed class FirewallTrafficTests
{
    private const string Doc = """
        version: 1
        interfaces:
          - { name: v0, role: wan, addresses: [198.51.100.1/24] }
        firewall: { input: drop, forward: drop, output: accept }
        firewallRules:
          - { name: established, chain: input, ctState: [established, related], action: accept }
          - { name: ssh-from-wan, chain: input, iif: v0, protocol: tcp, dport: 2222, action: accept }
        """;

    [NetnsFact]
    public void Ports_OpenedPortAccepts_OtherPortDrops_RepliesToOwnConnectionsComeBack()
    {
        using var rtr = new NetnsFixture();
        using var wan = new NetnsFixture();
        rtr.InNs($"link set v1 name w0 netns {wan.Name}");
        wan.InNs("addr add 198.51.100.2/24 dev w0");
        wan.InNs("link set w0 up");
        using var kernel = new NetlinkKernel(NetworkNamespace.Named(rtr.Name));
        Assert.IsType<ReconcileOutcome.Converged>(new Reconciler(kernel).Reconcile(DocumentLoader.Load(Doc, "doc.yaml").Effective, RuntimeFacts.None).Outcome);
        var rtrNs = NetworkNamespace.Named(rtr.Name);
        var wanNs = NetworkNamespace.Named(wan.Name);

        using Socket open = Listen(rtrNs, 2222);
        using Socket closed = Listen(rtrNs, 2323);
        using Socket onWan = Listen(wanNs, 8080);

        // Accepted connections get 5 s (a busy CI machine can lose the first SYN to ARP, and TCP retries after 1 s);
        // the dropped one is given 1 s, which a drop never answers either way.
        Assert.True(Connects(wanNs, "198.51.100.1", 2222, TimeSpan.FromSeconds(5)), "port 2222 is accepted from the WAN");
        Assert.False(Connects(wanNs, "198.51.100.1", 2323, TimeSpan.FromSeconds(1)), "port 2323 is dropped by the input policy");
        Assert.True(Connects(rtrNs, "198.51.100.2", 8080, TimeSpan.FromSeconds(5)), "the router's own connection gets its replies (ct state established)");

        // Read back independently of our reader: the base chains and their policies.
        using JsonDocument listing = JsonDocument.Parse(NetnsFixture.Ip($"netns exec {rtr.Name} nft -j list table inet ipoe"));
        var chains = listing.RootElement.GetProperty("nftables").EnumerateArray()
            .Where(e => e.TryGetProperty("chain", out _)).Select(e => e.GetProperty("chain"))
            .Where(c => c.TryGetProperty("policy", out _)).ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("policy").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["input"] = "drop", ["forward"] = "drop", ["output"] = "accept" }, chains);
    }

    private static Socket Listen(NetworkNamespace ns, int port) => ns.Run(() =>
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Any, port));
        s.Listen(4);
        return s;
    });

    /// <summary>A TCP connect from inside <paramref name="ns"/>, given <paramref name="within"/> to complete.</summary>
    private static bool Connects(NetworkNamespace ns, string address, int port, TimeSpan within)
    {
        using Socket client = ns.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        try
        {
            return client.ConnectAsync(IPAddress.Parse(address), port).Wait(within) && client.Connected;
        }
        catch (AggregateException e) when (e.InnerException is SocketException)
        {
            return false;
        }
    }
}
