using System.Net;
using IpoeRouter.Engine.Diagnostics;
using IpoeRouter.Services.Hosting;
using Xunit;

namespace IpoeRouter.Engine.Tests.Diagnostics;

/// <summary>The pure decision of the conflict scan, on synthetic facts (documentation addresses and loopback only).</summary>
public sealed class ConflictScanTests
{
    private static readonly RouterLink[] Links = [new("wan0", 2), new("lan0", 3)];
    private static readonly ServicePort[] AllNeeded = [.. ServicePort.All];

    [Fact]
    public void NothingInTheWay_NoFindings() =>
        Assert.Empty(ConflictScan.Decide(ConflictFacts.None, Links, AllNeeded));

    [Fact]
    public void Dnsmasq_OnANeededDnsPort_IsAFail_NamingItAndItsPid_WithTheStopRemedy()
    {
        var facts = Facts(Udp("192.0.2.1", 53, uid: 0, ("dnsmasq", 4242)));

        ConflictFinding f = Assert.Single(ConflictScan.Decide(facts, Links, [ServicePort.DnsUdp]));

        Assert.Equal((ConflictChecks.PortHeld, ConflictSeverity.Fail, "dnsmasq", 4242), (f.Check, f.Severity, f.Holder, f.Pid));
        Assert.Contains("udp 192.0.2.1:53", f.Evidence);
        Assert.Contains("systemctl disable --now dnsmasq", f.Remedy);
    }

    [Fact]
    public void PortTheDocumentDoesNotNeed_IsAWarning()
    {
        var facts = Facts(Udp("0.0.0.0", 67, uid: 0, ("kea-dhcp4", 77)));

        ConflictFinding f = Assert.Single(ConflictScan.Decide(facts, Links, [ServicePort.Dhcp6Client]));

        Assert.Equal(ConflictSeverity.Warning, f.Severity);
        Assert.Contains("kea-dhcp4-server", f.Remedy);
    }

    [Fact]
    public void ResolvedStub_OnLoopback_IsAWarningEvenWhenDnsIsNeeded_WithDnsStubListenerNo()
    {
        var facts = Facts(
            Udp("127.0.0.53", 53, uid: 991, ("systemd-resolve", 500)),
            Tcp("127.0.0.53", 53, uid: 991, ("systemd-resolve", 500)));

        IReadOnlyList<ConflictFinding> found = ConflictScan.Decide(facts, Links, AllNeeded);

        Assert.Equal(2, found.Count);
        Assert.All(found, f => Assert.Equal(ConflictSeverity.Warning, f.Severity));
        Assert.All(found, f => Assert.Contains("DNSStubListener=no", f.Remedy));
    }

    [Fact]
    public void WildcardDns_IsAFail()
    {
        ConflictFinding f = Assert.Single(ConflictScan.Decide(Facts(Udp("::", 53, uid: 0, ("named", 9))), Links, AllNeeded));
        Assert.Equal(ConflictSeverity.Fail, f.Severity);
    }

    [Theory]
    [InlineData("systemd-network", 546, "IPv6AcceptRA=no")]
    [InlineData("systemd-network", 68, "DHCP=no")]
    [InlineData("dhcp6c", 546, "wide-dhcpv6-client")]
    [InlineData("dhclient", 68, "/etc/network/interfaces")]
    [InlineData("dhcpd", 67, "isc-dhcp-server")]
    [InlineData("kea-dhcp6", 547, "kea-dhcp6-server")]
    public void KnownProgram_GetsItsRemedy(string comm, int port, string remedy)
    {
        ConflictFinding f = Assert.Single(ConflictScan.Decide(Facts(Udp("0.0.0.0", port, uid: 0, (comm, 10))), Links, AllNeeded));

        Assert.Equal(ConflictSeverity.Fail, f.Severity);
        Assert.Contains(remedy, f.Remedy);
    }

    [Fact]
    public void UnreadableHolder_TheOneKnownProgramUsingThePort_IsNamed_AndMarkedAsInferred()
    {
        // dnsmasq opens its sockets as root and then runs as its own user: the socket's uid is 0, its process's 999.
        var facts = Facts(Udp("192.0.2.1", 53, uid: 0)) with { Programs = [new(4242, "dnsmasq", 999), new(600, "dhcp6c", 0)] };

        ConflictFinding f = Assert.Single(ConflictScan.Decide(facts, Links, AllNeeded));

        Assert.Equal(("dnsmasq", 4242), (f.Holder, f.Pid));
        Assert.Contains("could not be read", f.Evidence);
        Assert.Contains("systemctl disable --now dnsmasq", f.Remedy);
    }

    [Fact]
    public void UnreadableHolder_TwoCandidates_TheSocketsUidDecides()
    {
        var facts = Facts(Udp("0.0.0.0", 546, uid: 0)) with { Programs = [new(700, "dhclient", 0), new(701, "dhcpcd", 105)] };

        ConflictFinding f = Assert.Single(ConflictScan.Decide(facts, Links, AllNeeded));

        Assert.Equal(("dhclient", 700), (f.Holder, f.Pid));
    }

    [Fact]
    public void UnreadableHolder_NoCandidate_NamesTheUidAndSs()
    {
        ConflictFinding f = Assert.Single(ConflictScan.Decide(Facts(Udp("0.0.0.0", 547, uid: 1000)), Links, AllNeeded));

        Assert.Null(f.Holder);
        Assert.Null(f.Pid);
        Assert.Contains("uid 1000", f.Remedy);
        Assert.Contains("ss -lunp sport = :547", f.Remedy);
    }

    [Fact]
    public void UnreadableHolder_OnResolvedsStubAddress_GetsResolvedsRemedy()
    {
        ConflictFinding f = Assert.Single(ConflictScan.Decide(Facts(Tcp("127.0.0.54", 53, uid: 991)), Links, AllNeeded));

        Assert.Equal(ConflictSeverity.Warning, f.Severity);
        Assert.Contains("DNSStubListener=no", f.Remedy);
    }

    [Fact]
    public void PortOutsideTheWatchedOnes_IsIgnored() =>
        Assert.Empty(ConflictScan.Decide(Facts(Udp("0.0.0.0", 5353, uid: 0, ("avahi-daemon", 3))), Links, AllNeeded));

    [Fact]
    public void Networkd_ManagingARouterLink_IsAFail_NamingUnmanagedYesAndItsNetworkFile()
    {
        var facts = new ConflictFacts([], [new(2, "configured", "/etc/systemd/network/10-wan.network"), new(3, "unmanaged", null)], [new(321, "systemd-network", 998)]);

        ConflictFinding f = Assert.Single(ConflictScan.Decide(facts, Links, AllNeeded));

        Assert.Equal((ConflictChecks.NetworkdManagesLink, ConflictSeverity.Fail, "systemd-network", 321), (f.Check, f.Severity, f.Holder, f.Pid));
        Assert.Contains("ADMIN_STATE=configured", f.Evidence);
        Assert.Contains("wan0", f.Evidence);
        Assert.Contains("Unmanaged=yes", f.Remedy);
        Assert.Contains("/etc/systemd/network/10-wan.network", f.Remedy);
    }

    [Fact]
    public void Networkd_RunningWithoutStateForALink_IsAWarning()
    {
        var facts = new ConflictFacts([], [new(2, "unmanaged", null), new(3, "pending", null)], [new(321, "systemd-network", 998)]);

        ConflictFinding f = Assert.Single(ConflictScan.Decide(facts, Links, AllNeeded));

        Assert.Equal((ConflictChecks.NetworkdMayManageLink, ConflictSeverity.Warning), (f.Check, f.Severity));
        Assert.Contains("lan0", f.Evidence);
        Assert.Contains("Unmanaged=yes", f.Remedy);
    }

    [Fact]
    public void Networkd_NotRunning_StaleStateFilesAreNotFindings() =>
        Assert.Empty(ConflictScan.Decide(new ConflictFacts([], [new(2, "configured", null)], []), Links, AllNeeded));

    [Fact]
    public void Findings_FailsComeFirst()
    {
        var facts = Facts(Udp("127.0.0.53", 53, uid: 991, ("systemd-resolve", 500)), Udp("0.0.0.0", 546, uid: 0, ("dhcp6c", 600)));

        IReadOnlyList<ConflictFinding> found = ConflictScan.Decide(facts, Links, AllNeeded);

        Assert.Equal([ConflictSeverity.Fail, ConflictSeverity.Warning], found.Select(f => f.Severity));
        Assert.Equal("dhcp6c", found[0].Holder);
    }

    private static ConflictFacts Facts(params BoundSocket[] sockets) => new(sockets, [], []);

    private static BoundSocket Udp(string address, int port, int uid, params (string Name, int Pid)[] holders) =>
        new("udp", IPAddress.Parse(address), port, uid, [.. holders.Select(h => new PortHolderProcess(h.Pid, h.Name))]);

    private static BoundSocket Tcp(string address, int port, int uid, params (string Name, int Pid)[] holders) =>
        new("tcp", IPAddress.Parse(address), port, uid, [.. holders.Select(h => new PortHolderProcess(h.Pid, h.Name))]);
}
