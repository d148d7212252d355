using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using IpoeRouter.Engine.Runtime;
using IpoeRouter.Lab;
using Xunit;
using Xunit.Abstractions;

namespace IpoeRouter.Agent.Tests;

/// <summary>
/// The agent's DNS forwarder in the lab (lab/router.yaml: it serves lan0): dig on the LAN asks it for
/// a DHCPv4 client's name and address, and for an outside name, which goes to the upstream the
/// delegation's DHCPv6 lease named (dnsmasq in <c>hgw</c> at 2001:db8::53) once and then comes from
/// the cache; over IPv4 and over the LAN's delegated IPv6 address. The server the HGW's RAs name
/// (RDNSS) joins the upstreams after it. From the HGW's side of the WAN, with the router's input policy
/// open, the same LAN addresses do not answer.
/// </summary>
public sealed partial class DnsLabTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [NetnsFact]
    public async Task LanClientsResolveLeaseNamesAndTheInternet_ThroughTheLearntUpstream_AndTheWanIsDeaf()
    {
        using var lab = new RouterLab(hgwRdnss: "2001:db8:ff::1"); // the HGW's RAs name a second server (the HGW itself, which does not answer DNS)
        lab.OpenInputPolicy(); // nothing but the forwarder's own binding may keep the WAN from asking it
        lab.StartHgwDns();
        lab.StartAgent();
        RouterStatus ready = await lab.WaitForStatus(s =>
            s.Dns is { } d && d.Upstreams.Contains("2001:db8::53") && d.Listening.Any(l => l.Contains(':', StringComparison.Ordinal))
            && s.Services.Any(x => x.Name == "dns" && x.State == "Running") && s.Services.Any(x => x.Name.StartsWith("dhcp4-server", StringComparison.Ordinal) && x.State == "Running"), Wait);
        Assert.Equal("home.example", ready.Dns!.Domain);
        RouterStatus both = await lab.WaitForStatus(s => s.Dns!.Upstreams.Contains("2001:db8:ff::1"), Wait);
        Assert.Equal(["2001:db8::53", "2001:db8:ff::1"], both.Dns!.Upstreams); // DHCPv6 option 23 first, then RA RDNSS
        Assert.Contains("198.51.100.1 (lan0)", ready.Dns.Listening);
        string lanV6 = ready.Dns.Listening.Select(l => l.Split(' ')[0]).Single(a => a.Contains(':', StringComparison.Ordinal));
        Assert.True(IPNetwork.Parse(ready.Lans.Single().Prefix!).Contains(IPAddress.Parse(lanV6)), $"{lanV6} is not in lan0's /64");

        lab.AddLanHost("c1", "02:00:5e:00:53:01");
        string lease = lab.Udhcpc("c1", "Alpha");
        IPAddress alpha = IPAddress.Parse(Regex.Match(lease, @"event=bound ip=(\S+)").Groups[1].Value);
        NetnsFixture.Ip($"-n {lab.Lan} addr add 198.51.100.50/24 dev eth0"); // dig's own address (outside the pool)
        await lab.WaitForStatus(s => s.Dns!.Names.Any(n => n.StartsWith($"alpha.home.example {alpha}", StringComparison.Ordinal)), Wait);

        Assert.Equal(alpha.ToString(), Short(lab, "@198.51.100.1", "alpha.home.example", "A"));
        Assert.Equal("alpha.home.example.", Short(lab, "@198.51.100.1", "-x", alpha.ToString()));
        Assert.Contains("status: NXDOMAIN", RouterLab.Dig(lab.Lan, "@198.51.100.1", "nobody.home.example", "A"), StringComparison.Ordinal);
        Assert.Contains("status: NXDOMAIN", RouterLab.Dig(lab.Lan, "@198.51.100.1", "-x", "198.51.100.77"), StringComparison.Ordinal); // a LAN address nobody holds

        // AAAA where known: once alpha's host has talked to the router over IPv6 from its SLAAC address,
        // the neighbour table ties that address to the MAC of alpha's lease.
        string slaac = await GlobalAddress(lab, "c1");
        RouterLab.Exec(lab.Lan, "ping", "-6", "-c", "1", "-W", "2", "-I", slaac, lanV6);
        await lab.WaitForStatus(s => s.Dns!.Names.Contains($"alpha.home.example {alpha} {slaac}"), Wait);
        Assert.Equal(slaac, Short(lab, "@198.51.100.1", "alpha.home.example", "AAAA"));
        Assert.Equal("alpha.home.example.", Short(lab, $"@{lanV6}", "-x", slaac));

        Assert.Equal("203.0.113.80", Short(lab, "@198.51.100.1", "www.example.com", "A"));
        Assert.Equal("203.0.113.80", Short(lab, $"@{lanV6}", "www.example.com", "A"));
        Assert.Equal("203.0.113.80", Short(lab, "@198.51.100.1", "+tcp", "www.example.com", "A"));
        Assert.Equal(alpha.ToString(), Short(lab, $"@{lanV6}", "alpha.home.example", "A"));
        Assert.Single(Regex.Matches(lab.HgwDnsLog(), @"query\[A\] www\.example\.com"));

        RouterStatus after = await lab.WaitForStatus(s => s.Dns!.CacheHits >= 2, Wait);
        DnsStatus dns = after.Dns!;
        output.WriteLine($"queries {dns.Queries}, local {dns.LocalAnswers}, cache {dns.CacheHits}, forwarded {dns.Forwarded}, failures {dns.Failures}");
        Assert.Equal(1, dns.Forwarded);
        Assert.Equal(0, dns.Failures);

        // The HGW's side of the WAN, asking the LAN addresses the forwarder listens on: the HGW routes
        // the LAN's subnets through the router and this lab's input policy is accept, so the packets do
        // arrive (the router answers ping there); the forwarder, tied to lan0, does not answer them.
        string wan = after.Wan.Single().Addresses.First(a => a.Scope == "global").Address;
        NetnsFixture.Ip($"-n {lab.Hgw} addr add 192.0.2.1/24 dev hgw0");
        NetnsFixture.Ip($"-n {lab.Rtr} addr add 192.0.2.2/24 dev wan0");
        NetnsFixture.Ip($"-n {lab.Hgw} route add 198.51.100.0/24 via 192.0.2.2");
        NetnsFixture.Ip($"-n {lab.Hgw} -6 route add {ready.Lans.Single().Prefix} via {wan}");
        foreach (string lanAddress in new[] { "198.51.100.1", lanV6 })
        {
            string ping = RouterLab.Exec(lab.Hgw, "ping", "-c", "1", "-W", "3", lanAddress);
            Assert.Contains("1 received", ping, StringComparison.Ordinal);
            string fromHgw = RouterLab.Dig(lab.Hgw, $"@{lanAddress}", "www.example.com", "A");
            output.WriteLine($"dig from the HGW @{lanAddress}: {fromHgw}");
            Assert.DoesNotContain("ANSWER SECTION", fromHgw, StringComparison.Ordinal);
            Assert.DoesNotContain("status: NOERROR", fromHgw, StringComparison.Ordinal);
            string tcpFromHgw = RouterLab.Dig(lab.Hgw, $"@{lanAddress}", "+tcp", "www.example.com", "A");
            Assert.DoesNotContain("ANSWER SECTION", tcpFromHgw, StringComparison.Ordinal);
            Assert.DoesNotContain("status: NOERROR", tcpFromHgw, StringComparison.Ordinal);
        }

        Assert.Equal(1, (await lab.WaitForStatus(_ => true, Wait)).Dns!.Forwarded);
        output.WriteLine(lab.AgentLog());
    }

    /// <summary>The global IPv6 address <paramref name="iface"/> in <c>lan</c> made from the RAs (SLAAC), once DAD is done.</summary>
    private static async Task<string> GlobalAddress(RouterLab lab, string iface)
    {
        DateTime until = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < until)
        {
            foreach (var link in lab.IpJson(lab.Lan, $"-6 addr show dev {iface} scope global").EnumerateArray())
            {
                if (!link.TryGetProperty("addr_info", out var info))
                {
                    continue; // ip -j prints an empty object for a link with no address of that scope
                }

                foreach (var a in info.EnumerateArray())
                {
                    if (a.TryGetProperty("local", out var local) && !a.TryGetProperty("tentative", out _))
                    {
                        return local.GetString()!;
                    }
                }
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{iface} made no global address from the router's RAs");
    }

    /// <summary><c>dig +short</c> from the LAN host; the first line, or an assertion naming what dig said.</summary>
    private string Short(RouterLab lab, params string[] args)
    {
        string said = RouterLab.Dig(lab.Lan, ["+short", .. args]);
        output.WriteLine($"dig {string.Join(" ", args)} -> {said.Trim()}");
        string first = said.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? string.Empty;
        Assert.False(first.Length == 0 || first.StartsWith(";", StringComparison.Ordinal), $"dig {string.Join(" ", args)} said: {said}\nagent:\n{lab.AgentLog()}");
        return first;
    }
}
