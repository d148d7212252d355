using System.Net;
using IpoeRouter.Control;
using IpoeRouter.Engine.Diagnostics;
using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Rtnl;
using IpoeRouter.Services.Hosting;
using Xunit;

namespace IpoeRouter.Engine.Tests.Diagnostics;

/// <summary>Test-IpoeRouter's pure decisions: each check's Pass, Warn or Fail from written facts (documentation addresses only).</summary>
public sealed class RouterCheckScanTests
{
    private static readonly LinkFacts Wan = new("wan0", 2, true, true, "1", "2");
    private static readonly LinkFacts Lan = new("lan0", 3, true, false, "1", "0");

    [Fact]
    public void AHealthyRouter_PassesEveryCheck_OnePerCheckAtLeast()
    {
        RouterFacts facts = Healthy() with { Agent = Agent("Converged", [], new TunnelStatus("ip6tnl1", "kernel", "Up", "2001:db8::2", "2001:db8:ffff::1")) };

        IReadOnlyList<RouterCheck> checks = RouterCheckScan.Decide(facts, [ServicePort.DnsUdp]);

        Assert.All(checks, c => Assert.Equal(CheckStatus.Pass, c.Status));
        Assert.Equal(
            new[] { RouterChecks.Ports, RouterChecks.LinkManager, RouterChecks.AcceptRa, RouterChecks.AddressState, RouterChecks.TunnelLocal, RouterChecks.Watchdog, RouterChecks.Agent, RouterChecks.AgentTunnel }.Order(),
            checks.Select(c => c.Check).Distinct().Order());
    }

    [Fact]
    public void Dnsmasq_OnANeededPort_IsAFail_WithProcessAndPid_AndComesFirst()
    {
        var socket = new BoundSocket("udp", IPAddress.Parse("192.0.2.1"), 53, 0, [new PortHolderProcess(4242, "dnsmasq")]);
        RouterFacts facts = Healthy() with { Conflicts = new ConflictFacts([socket], [], []) };

        IReadOnlyList<RouterCheck> checks = RouterCheckScan.Decide(facts, [ServicePort.DnsUdp]);

        RouterCheck first = checks[0];
        Assert.Equal((RouterChecks.Ports, CheckStatus.Fail, "dnsmasq", 4242), (first.Check, first.Status, first.Process, first.Pid));
        Assert.Equal("udp 192.0.2.1:53", first.Target);
        Assert.Contains("systemctl disable --now dnsmasq", first.Remedy);
    }

    [Fact]
    public void APortTheDocumentDoesNotNeed_IsAWarn()
    {
        var socket = new BoundSocket("udp", IPAddress.Parse("0.0.0.0"), 546, 0, [new PortHolderProcess(7, "dhcp6c")]);

        RouterCheck c = Assert.Single(RouterCheckScan.Ports(ConflictScan.Decide(new ConflictFacts([socket], [], []), [], []), []));

        Assert.Equal(CheckStatus.Warn, c.Status);
    }

    [Fact]
    public void NetworkdManagingTheWan_IsAFail()
    {
        var conflicts = new ConflictFacts([], [new NetworkdLinkState(2, "configured", "/etc/systemd/network/10-wan.network")], [new RunningProgram(99, ConflictRemedies.NetworkdComm, 101)]);
        RouterFacts facts = Healthy() with { Conflicts = conflicts };

        RouterCheck c = RouterCheckScan.Decide(facts, [])[0];

        Assert.Equal((RouterChecks.LinkManager, CheckStatus.Fail, 99), (c.Check, c.Status, c.Pid));
        Assert.Contains("10-wan.network", c.Evidence);
    }

    [Fact]
    public void ANetplanFileNamingALink_IsAWarn_WithItsLine()
    {
        RouterFacts facts = Healthy() with { Netplan = [new ConfigFile("/etc/netplan/01-netcfg.yaml", "network:\n  ethernets:\n    wan0:\n      dhcp4: true\n    wan01:\n")] };

        RouterCheck c = Assert.Single(RouterCheckScan.LinkManager([], facts));

        Assert.Equal(CheckStatus.Warn, c.Status);
        Assert.Contains("line 3 configures wan0", c.Evidence);
    }

    [Theory]
    [InlineData("1", "1", CheckStatus.Fail)] // the seed's 90-minute outage
    [InlineData("1", "0", CheckStatus.Fail)]
    [InlineData("0", "0", CheckStatus.Fail)]
    [InlineData("1", "2", CheckStatus.Pass)]
    [InlineData("0", "1", CheckStatus.Pass)]
    public void AcceptRa_OnALinkThatTakesRas(string forwarding, string acceptRa, CheckStatus expected)
    {
        RouterCheck c = RouterCheckScan.AcceptRa(Wan with { Forwarding = forwarding, AcceptRa = acceptRa });

        Assert.Equal(expected, c.Status);
        Assert.Contains($"forwarding={forwarding}, accept_ra={acceptRa}", c.Evidence);
        Assert.Equal(expected == CheckStatus.Pass, c.Remedy is null);
    }

    [Fact]
    public void AcceptRa_ALinkThatTakesNoRas_PassesWithAcceptRa0_AndAMissingLinkIsAWarn()
    {
        Assert.Equal(CheckStatus.Pass, RouterCheckScan.AcceptRa(Lan).Status);
        Assert.Equal(CheckStatus.Warn, RouterCheckScan.AcceptRa(Wan with { Index = 0, Forwarding = null, AcceptRa = null }).Status);
    }

    [Fact]
    public void ATentativeAddress_IsAWarn_ADadFailedOne_AFail_OtherLinksIgnored()
    {
        RouterFacts facts = Healthy() with
        {
            Addresses =
            [
                Address(2, "2001:db8::2", Ifa.FlagTentative),
                Address(3, "2001:db8:1::1", Ifa.FlagDadFailed | Ifa.FlagTentative),
                Address(9, "2001:db8:9::1", Ifa.FlagDadFailed),
            ],
        };

        var checks = RouterCheckScan.AddressState(facts).ToList();

        Assert.Equal(2, checks.Count);
        Assert.Equal((CheckStatus.Warn, "wan0 2001:db8::2/64"), (checks[0].Status, checks[0].Target));
        Assert.Equal((CheckStatus.Fail, "lan0 2001:db8:1::1/64"), (checks[1].Status, checks[1].Target));
    }

    [Fact]
    public void TunnelLocal_FailsWithoutItsAddress_Unset_OrTentative_PassesWhenConfigured_WarnsWithoutALink()
    {
        AddressInfo[] addresses = [Address(2, "2001:db8::2", 0), Address(2, "2001:db8::3", Ifa.FlagTentative)];

        RouterCheck absent = RouterCheckScan.TunnelLocal(new TunnelFacts("ip6tnl1", "ip6tnl", IPAddress.Parse("2001:db8::99")), addresses);
        Assert.Equal(CheckStatus.Fail, absent.Status);
        Assert.Contains("Local address not yet configured!", absent.Evidence);
        Assert.Equal(CheckStatus.Fail, RouterCheckScan.TunnelLocal(new TunnelFacts("ip6tnl1", "ip6tnl", IPAddress.IPv6Any), addresses).Status);
        Assert.Equal(CheckStatus.Fail, RouterCheckScan.TunnelLocal(new TunnelFacts("ip6tnl1", "ip6tnl", IPAddress.Parse("2001:db8::3")), addresses).Status);
        Assert.Equal(CheckStatus.Pass, RouterCheckScan.TunnelLocal(new TunnelFacts("ip6tnl1", "ip6tnl", IPAddress.Parse("2001:db8::2")), addresses).Status);
        Assert.Equal(CheckStatus.Warn, RouterCheckScan.TunnelLocal(new TunnelFacts("ip6tnl1", null, null), addresses).Status);
    }

    [Fact]
    public void TheSeedsCrontab_GivesAWarnPerWatchdogLine_CommentsIgnored_AndInstalledScriptsWarn()
    {
        RouterFacts facts = Healthy() with
        {
            Crontabs = [new ConfigFile("/var/spool/cron/crontabs/root", "# * * * * * /usr/local/sbin/check-nwconn.sh\n* * * * * /usr/local/sbin/check-ipoe.sh >/dev/null 2>&1\n* * * * * /usr/local/sbin/check-ip6tnl1.sh >/dev/null 2>&1\n")],
            WatchdogScripts = ["/usr/local/sbin/check-ipoe.sh"],
        };

        var checks = RouterCheckScan.Watchdogs(facts).ToList();

        Assert.All(checks, c => Assert.Equal(CheckStatus.Warn, c.Status));
        Assert.Equal(["/var/spool/cron/crontabs/root:2", "/var/spool/cron/crontabs/root:3", "/usr/local/sbin/check-ipoe.sh"], checks.Select(c => c.Target));
        Assert.Contains("crontab -e", checks[0].Remedy);
    }

    [Theory]
    [InlineData("Converged", CheckStatus.Pass)]
    [InlineData("Pending", CheckStatus.Warn)]
    [InlineData("Held", CheckStatus.Warn)]
    [InlineData("Failed", CheckStatus.Fail)]
    public void TheAgentsOutcome(string outcome, CheckStatus expected)
    {
        RouterCheck c = Assert.Single(RouterCheckScan.Agent(Agent(outcome, outcome == "Pending" ? ["tunnel ip6tnl1: waits for a WAN address"] : [])));

        Assert.Equal((expected, 1234), (c.Status, c.Pid));
        Assert.Contains(outcome, c.Evidence);
        if (outcome == "Pending")
        {
            Assert.Contains("waits for a WAN address", c.Evidence);
        }
    }

    [Fact]
    public void NoAgent_OrOneThatDoesNotAnswer_IsAFail()
    {
        Assert.Equal(CheckStatus.Fail, Assert.Single(RouterCheckScan.Agent(AgentFacts.None)).Status);
        RouterCheck silent = Assert.Single(RouterCheckScan.Agent(new AgentFacts(77, null, "timed out")));
        Assert.Equal(CheckStatus.Fail, silent.Status);
        Assert.Contains("timed out", silent.Evidence);
    }

    [Theory]
    [InlineData("Up", CheckStatus.Pass)]
    [InlineData("Down", CheckStatus.Fail)]
    [InlineData("Pending", CheckStatus.Warn)]
    [InlineData("Unknown", CheckStatus.Warn)]
    public void TheAgentsTunnelState(string state, CheckStatus expected)
    {
        var tunnel = new TunnelStatus("ip6tnl1", "kernel", state, "2001:db8::2", "2001:db8:ffff::1") { Reason = "probe 192.0.0.1 unanswered" };

        RouterCheck c = RouterCheckScan.Agent(Agent("Converged", [], tunnel)).Single(c => c.Check == RouterChecks.AgentTunnel);

        Assert.Equal(expected, c.Status);
        Assert.Contains($"is {state}: probe 192.0.0.1 unanswered", c.Evidence);
    }

    private static RouterFacts Healthy() => new(
        ConflictFacts.None,
        [Wan, Lan],
        [Address(2, "2001:db8::2", 0), Address(3, "2001:db8:1::1", 0)],
        [new TunnelFacts("ip6tnl1", "ip6tnl", IPAddress.Parse("2001:db8::2"))],
        [],
        [new ConfigFile("/etc/crontab", "17 * * * * root cd / && run-parts --report /etc/cron.hourly\n")],
        [],
        AgentFacts.None) { Agent = Agent("Converged", []) };

    private static AgentFacts Agent(string outcome, IReadOnlyList<string> pending, params TunnelStatus[] tunnels) =>
        new(1234, new RouterStatus(DateTimeOffset.UnixEpoch, "/etc/ipoe/router.yaml", 1234, [], [], [], [], new ReconcileStatus(DateTimeOffset.UnixEpoch, outcome, pending, outcome == "Failed" ? "netlink: EEXIST" : null)) { Tunnels = tunnels }, null);

    private static AddressInfo Address(int index, string address, uint flags) => new(index, IPAddress.Parse(address), 64, flags, 0, uint.MaxValue, uint.MaxValue);
}
