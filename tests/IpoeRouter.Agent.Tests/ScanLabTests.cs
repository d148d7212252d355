using System.Text.RegularExpressions;
using IpoeRouter.Engine.Runtime;
using IpoeRouter.Lab;
using Xunit;
using Xunit.Abstractions;

namespace IpoeRouter.Agent.Tests;

/// <summary>
/// nmap against the converged agent with every service running (lab/router.yaml plus the WAN DHCPv4
/// client): from the HGW's side every TCP and UDP port of every WAN address is silent (the default
/// policy drops, it opens nothing), and from the LAN the router offers exactly DNS (TCP and UDP),
/// the DHCPv4 server and the stateless DHCPv6 server, everything else answering "closed".
/// </summary>
public sealed partial class ScanLabTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>The UDP ports probed: the router's own services and the usual suspects of a home router.</summary>
    private const string UdpPorts = "53,67,68,69,123,137,161,500,514,546,547,1900,4500,5353,5355";

    [NetnsFact]
    public async Task Nmap_FindsTheWanClosed_AndTheLanOfferedOnlyDnsAndDhcp()
    {
        if (!File.Exists("/usr/bin/nmap"))
        {
            Assert.Fail("nmap is missing (apt-get install nmap; build.ps1 installs it)");
        }

        using var lab = new RouterLab();
        lab.EnableWan4(kea: null);
        lab.StartAgent();
        RouterStatus ready = await lab.WaitForStatus(s =>
            s.Wan4.SingleOrDefault() is { State: "Bound", Address: not null } && s.Lans.Single().Prefix is not null
            && s.Wan.Single().Addresses.Any(a => a.Scope == "global") && s.Services.Count > 0 && s.Services.All(v => v.State == "Running")
            && s.Dns is { } d && d.Listening.Any(l => l.Contains(':', StringComparison.Ordinal)), Wait);
        output.WriteLine("services: " + string.Join(", ", ready.Services.Select(s => s.Name)));

        string wanGlobal = ready.Wan.Single().Addresses.First(a => a.Scope == "global").Address;
        string wanLinkLocal = LinkLocal(lab, lab.Rtr, "wan0");
        string wan4 = ready.Wan4.Single().Address!.Split('/')[0];
        string lanV6 = ready.Dns!.Listening.Select(l => l.Split(' ')[0]).Single(a => a.Contains(':', StringComparison.Ordinal));
        string lanLinkLocal = LinkLocal(lab, lab.Rtr, "lan0");
        NetnsFixture.Ip($"-n {lab.Lan} addr add 198.51.100.50/24 dev eth0"); // the scanning LAN host's IPv4 (outside the pool)

        // The kernel limits its ICMP errors per destination (1/s): a scan of closed UDP ports then reads
        // most as open|filtered. Unlimited in rtr, every port that got through the firewall shows: closed
        // where nothing listens, which is also what makes the WAN assertions below able to fail.
        RouterLab.Exec(lab.Rtr, "sysctl", "-q", "-w", "net.ipv4.icmp_ratelimit=0", "net.ipv6.icmp.ratelimit=0");

        // The WAN: the input policy drops and no default rule lets a scanner's packet in, so every TCP
        // port is "filtered" (a RST from a listener or from the kernel would make it open or closed) and
        // every UDP port "open|filtered" (an answer would make it open, an ICMP port unreachable closed).
        // A router that listened on the WAN or lacked the drop policy would fail here.
        foreach ((string target, string[] extra) in new[]
        {
            (wanGlobal, new[] { "-6" }), ($"{wanLinkLocal}%hgw0", ["-6", "-e", "hgw0"]), (wan4, Array.Empty<string>()),
        })
        {
            Scan tcp = Nmap(lab.Hgw, [.. extra, "-sS", "--max-retries", "1", "-p-", target]);
            Assert.Equal(65535, tcp.Count("filtered"));
            Scan udp = Nmap(lab.Hgw, [.. extra, "-sU", "--max-retries", "3", "-p", UdpPorts, target]);
            Assert.Equal(UdpPorts.Split(',').Length, udp.Count("open|filtered"));
        }

        // The LAN: input accepts lan0, so ports without a listener answer "closed"; the listeners are the
        // forwarder (53 TCP and UDP on the LAN's IPv4 and delegated addresses, not the link-local; it
        // answers nmap's DNS probe, so "open"), the DHCPv4 server (67, IPv4 only) and the DHCPv6 server
        // (547, IPv6 only), which ignore nmap's probes ("open|filtered"). A stray listener (a socket bound
        // to any interface, a forgotten debug port) would show here as open or open|filtered.
        foreach ((string target, string[] extra, string[] open, string[] udpSilent) in new[]
        {
            ("198.51.100.1", Array.Empty<string>(), new[] { "53" }, new[] { "67" }),
            (lanV6, ["-6"], ["53"], ["547"]),
            ($"{lanLinkLocal}%eth0", ["-6", "-e", "eth0"], [], ["547"]),
        })
        {
            Scan tcp = Nmap(lab.Lan, [.. extra, "-sS", "--max-retries", "1", "-p-", target]);
            Assert.Equal(open, tcp.Ports("open"));
            Assert.Equal(65535 - open.Length, tcp.Count("closed"));
            Scan udp = Nmap(lab.Lan, [.. extra, "-sU", "--max-retries", "3", "-p", UdpPorts, target]);
            Assert.Equal(open, udp.Ports("open"));
            Assert.Equal(udpSilent, udp.Ports("open|filtered"));
            Assert.Equal(UdpPorts.Split(',').Length - open.Length - udpSilent.Length, udp.Count("closed"));
        }

        Assert.Equal(ready.AgentPid, (await lab.WaitForStatus(_ => true, Wait)).AgentPid);
    }

    private static string LinkLocal(RouterLab lab, string ns, string dev) =>
        lab.IpJson(ns, $"-6 addr show dev {dev} scope link").EnumerateArray()
            .SelectMany(l => l.TryGetProperty("addr_info", out var info) ? info.EnumerateArray() : Enumerable.Empty<System.Text.Json.JsonElement>())
            .Select(a => a.TryGetProperty("local", out var local) ? local.GetString() : null).OfType<string>().Single();

    /// <summary>Runs nmap in <paramref name="ns"/> with greppable output and returns what it found for the one host.</summary>
    private Scan Nmap(string ns, string[] args)
    {
        string said = RouterLab.Exec(ns, "nmap", ["-Pn", "-n", "-T4", "--min-rate", "20000", "--host-timeout", "50s", "-oG", "-", .. args]);
        string host = said.Split('\n').FirstOrDefault(l => l.StartsWith("Host: ", StringComparison.Ordinal) && l.Contains("Ports:", StringComparison.Ordinal))
            ?? said.Split('\n').FirstOrDefault(l => l.StartsWith("Host: ", StringComparison.Ordinal) && l.Contains("Ignored State", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"nmap {string.Join(' ', args)} reported no host:\n{said}");
        var scan = new Scan(host);
        output.WriteLine($"nmap {string.Join(' ', args)}: {scan}");
        return scan;
    }

    /// <summary>One greppable host line: the listed ports with their states, and the ignored state's count.</summary>
    private sealed partial class Scan
    {
        private readonly List<(string Port, string State)> _ports = [];
        private readonly (string State, int Count)? _ignored;

        public Scan(string line)
        {
            Line = line;
            if (PortsField().Match(line) is { Success: true } p)
            {
                foreach (string entry in p.Groups[1].Value.Split(", ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    string[] f = entry.Trim().Split('/');
                    _ports.Add((f[0], f[1]));
                }
            }

            if (IgnoredField().Match(line) is { Success: true } i)
            {
                _ignored = (i.Groups[1].Value, int.Parse(i.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        public string Line { get; }

        public string[] Ports(string state) => [.. _ports.Where(p => p.State == state).Select(p => p.Port)];

        public int Count(string state) => _ports.Count(p => p.State == state) + (_ignored is { } i && i.State == state ? i.Count : 0);

        public override string ToString() =>
            string.Join(", ", _ports.Select(p => $"{p.Port} {p.State}")) + (_ignored is { } i ? $"{(_ports.Count > 0 ? "; " : string.Empty)}{i.Count} {i.State}" : string.Empty);

        [GeneratedRegex(@"Ports: ([^\t]*)")]
        private static partial Regex PortsField();

        [GeneratedRegex(@"Ignored State: (\S+) \((\d+)\)")]
        private static partial Regex IgnoredField();
    }
}
