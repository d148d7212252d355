using System.Net;
using IpoeRouter.Engine.Runtime;
using IpoeRouter.Model;
using IpoeRouter.Model.Yaml;
using IpoeRouter.Protocols.Dns;
using IpoeRouter.Protocols.Wire;
using IpoeRouter.Services.Dhcp4Server;
using IpoeRouter.Services.DnsForwarder;
using Xunit;

namespace IpoeRouter.Engine.Tests.Runtime;

/// <summary>The forwarder's view of a document, and the DHCPv4 clients' names in its local zone.</summary>
public sealed class LanDnsTests
{
    private const string Base = """
        version: 1
        interfaces:
          - { name: wan0, role: wan }
          - { name: lan0, role: lan, addresses: [198.51.100.1/24] }
          - { name: lan1, role: lan, addresses: [203.0.113.1/24] }
        dhcpScopes:
          - { interface: lan0, range: 198.51.100.100-198.51.100.199, domain: home.example }
          - { interface: lan1, range: 203.0.113.100-203.0.113.199, domain: lab.example }

        """;

    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 0, 0, 0, TimeSpan.Zero);

    private static RouterDocument Doc(string tail)
    {
        DocumentReadResult read = DocumentReader.Read(Base + tail, "router.yaml");
        return read.Document ?? throw new InvalidOperationException(string.Join("\n", read.Diagnostics));
    }

    [Fact]
    public void Served_NoForwarder_Disabled_Listed_OrEveryLan()
    {
        Assert.Empty(DnsForwarding.ServedInterfaces(Doc(string.Empty)));
        Assert.Empty(DnsForwarding.ServedInterfaces(Doc("dnsForwarder: { enabled: false }\n")));
        Assert.Equal(["lan1"], DnsForwarding.ServedInterfaces(Doc("dnsForwarder: { interfaces: [lan1] }\n")));
        Assert.Equal(["lan0", "lan1"], DnsForwarding.ServedInterfaces(Doc("dnsForwarder: {}\n")).Order());
    }

    [Fact]
    public void Domain_TheFirstServedScopes_TheOthersReported_HomeArpaWithout()
    {
        Assert.Equal("home.example", DnsForwarding.Domain(Doc("dnsForwarder: {}\n"), out var ignored));
        Assert.Equal(["lab.example"], ignored);
        Assert.Equal("lab.example", DnsForwarding.Domain(Doc("dnsForwarder: { interfaces: [lan1] }\n"), out ignored));
        Assert.Empty(ignored);
        RouterDocument noDomain = Doc("dnsForwarder: { interfaces: [lan0] }\n") is var d
            ? d with { DhcpScopes = ValueList<DhcpScope>.From(d.DhcpScopes.Select(s => s with { Domain = null })) }
            : null!;
        Assert.Equal("home.arpa", DnsForwarding.Domain(noDomain, out _));
    }

    [Fact]
    public void StaticAddresses_AndTheDhcpScopesDnsOption_FollowTheServedInterfaces()
    {
        RouterDocument doc = Doc("dnsForwarder: { interfaces: [lan1] }\n");
        Assert.Equal([("lan1", IPAddress.Parse("203.0.113.1"))], DnsForwarding.StaticAddresses(doc));
        Assert.Empty(Dhcp4Scopes.ToConfig(doc.DhcpScopes[0], doc)!.DnsServers);
        Assert.Equal([IPAddress.Parse("203.0.113.1")], Dhcp4Scopes.ToConfig(doc.DhcpScopes[1], doc)!.DnsServers);
    }

    [Fact]
    public void Upstreams_DocumentFirst_ThenLearnt_NoRepeats_UnlessLearningIsOff()
    {
        IPAddress[] learned = [IPAddress.Parse("2001:db8::53"), IPAddress.Parse("192.0.2.53")];
        Assert.Equal(
            [IPAddress.Parse("192.0.2.53"), IPAddress.Parse("2001:db8::53")],
            DnsForwarding.Upstreams(Doc("dnsForwarder: { upstreams: [192.0.2.53] }\n"), learned));
        Assert.Equal([IPAddress.Parse("192.0.2.53")], DnsForwarding.Upstreams(Doc("dnsForwarder: { upstreams: [192.0.2.53], useLearnedUpstreams: false }\n"), learned));
    }

    [Theory]
    [InlineData("laptop", "laptop")]
    [InlineData("Bob's iPhone", "bob-s-iphone")]
    [InlineData("nas.home.example", "nas")]
    [InlineData("-tv-", "tv")]
    [InlineData("   ", null)]
    [InlineData("___", null)]
    [InlineData(".hidden", null)]
    public void Label_OneLowerCaseLabel(string given, string? label) => Assert.Equal(label, LeaseNames.Label(given));

    [Fact]
    public void Label_LongNames_CutTo63()
    {
        string label = LeaseNames.Label(new string('a', 62) + "-b" + new string('c', 10))!;
        Assert.Equal(new string('a', 62), label); // cut at 63 would end in a hyphen, which is trimmed
    }

    [Fact]
    public void Leases_GiveNames_WhichFollowRenamesAndGoWithTheLease()
    {
        var (names, leases) = New();
        leases.Apply([Bound("198.51.100.100", "Laptop")]);
        Assert.Equal(IPAddress.Parse("198.51.100.100"), A(names, "laptop.home.example"));
        Assert.Equal("laptop.home.example", Ptr(names, "100.100.51.198.in-addr.arpa"));

        leases.Apply([Bound("198.51.100.100", "desk")]);
        Assert.Null(A(names, "laptop.home.example"));
        Assert.Equal(IPAddress.Parse("198.51.100.100"), A(names, "desk.home.example"));

        leases.Apply([new Dhcp4LeaseChange(IPAddress.Parse("198.51.100.100"), null)]);
        Assert.Null(A(names, "desk.home.example"));
        Assert.Empty(leases.Current);
    }

    [Fact]
    public void ASecondClientAskingForAHeldName_GetsNone_ButAReservationTakesItsNameBack()
    {
        var log = new List<string>();
        var (names, leases) = New(log);
        leases.Apply([Bound("198.51.100.100", "laptop")]);
        leases.Apply([Bound("198.51.100.101", "laptop")]);
        Assert.Equal(IPAddress.Parse("198.51.100.100"), A(names, "laptop.home.example"));
        Assert.Contains(log, l => l.Contains("198.51.100.101 asked for the name laptop, which 198.51.100.100 holds", StringComparison.Ordinal));

        leases.Apply([Bound("198.51.100.102", "printer")]);
        Assert.Equal(IPAddress.Parse("198.51.100.102"), A(names, "printer.home.example"));
        leases.Apply([Bound("198.51.100.10", "printer")]);
        Assert.Equal(IPAddress.Parse("198.51.100.10"), A(names, "printer.home.example"));
        Assert.Null(Ptr(names, "102.100.51.198.in-addr.arpa"));

        // The squatter's lease ending does not take the name from the reserved host.
        leases.Apply([new Dhcp4LeaseChange(IPAddress.Parse("198.51.100.102"), null)]);
        Assert.Equal(IPAddress.Parse("198.51.100.10"), A(names, "printer.home.example"));
    }

    [Fact]
    public void Neighbors_GiveANamedClientItsIPv6Addresses_ByMac_UntilItsLeaseGoes()
    {
        var (names, leases) = New();
        leases.Apply([Bound("198.51.100.100", "laptop")]);
        byte[] mac = [2, 0, 0x5e, 0, 0x53, 1], other = [2, 0, 0x5e, 0, 0x53, 2];
        IPAddress slaac = IPAddress.Parse("2001:db8:1:1::5eff:fe00:5301"), privacy = IPAddress.Parse("2001:db8:1:1::1234");
        leases.SetIPv6FromNeighbors([(slaac, mac), (privacy, mac), (IPAddress.Parse("2001:db8:1:1::99"), other)]);
        Assert.Equal([slaac, privacy], AAAA(names, "laptop.home.example").Order(Comparer<IPAddress>.Create((a, b) => string.CompareOrdinal(a.ToString(), b.ToString()))));
        Assert.Equal([slaac, privacy], leases.Current["laptop"].IPv6.Order(Comparer<IPAddress>.Create((a, b) => string.CompareOrdinal(a.ToString(), b.ToString()))));

        leases.SetIPv6FromNeighbors([(slaac, mac)]);
        Assert.Equal([slaac], AAAA(names, "laptop.home.example"));
        leases.Apply([new Dhcp4LeaseChange(IPAddress.Parse("198.51.100.100"), null)]);
        Assert.Empty(AAAA(names, "laptop.home.example"));
    }

    [Theory]
    [InlineData("WPAD")]
    [InlineData("isatap")]
    [InlineData("localhost")]
    [InlineData("router")]
    public void NamesOthersTrust_AreNotGivenToAClient(string name)
    {
        var log = new List<string>();
        var (names, leases) = New(log);
        leases.Apply([Bound("198.51.100.100", name)]);
        Assert.Empty(leases.Current);
        Assert.Empty(Ask(names, $"{name}.home.example", DnsType.A).Answers);
        Assert.Contains(log, l => l.Contains("only a reservation can give it", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_TakesOnlyBoundLeasesNotRunOut()
    {
        var (names, leases) = New();
        leases.Load(
        [
            Lease("198.51.100.100", "alive", Dhcp4LeaseState.Bound, T0.AddMinutes(5)),
            Lease("198.51.100.101", "expired", Dhcp4LeaseState.Bound, T0.AddMinutes(-1)),
            Lease("198.51.100.102", "declined", Dhcp4LeaseState.Declined, T0.AddMinutes(5)),
        ], T0);
        Assert.Equal(["alive"], leases.Current.Keys);
        Assert.NotNull(A(names, "alive.home.example"));
    }

    private static (LocalNames Names, LeaseNames Leases) New(List<string>? log = null)
    {
        var names = new LocalNames("home.example");
        names.SetLanPrefixes([IPNetwork.Parse("198.51.100.0/24")]); // as the runtime does with the served LANs' subnets
        var reserved = new Dictionary<string, IPAddress>(StringComparer.OrdinalIgnoreCase) { ["printer"] = IPAddress.Parse("198.51.100.10") };
        return (names, new LeaseNames(names, reserved, line => log?.Add(line)));
    }

    private static Dhcp4Lease Lease(string address, string? name, Dhcp4LeaseState state, DateTimeOffset expiry) =>
        new(IPAddress.Parse(address), null, new ByteString([2, 0, 0x5e, 0, 0x53, 1]), name, state, expiry);

    private static Dhcp4LeaseChange Bound(string address, string? name) =>
        new(IPAddress.Parse(address), Lease(address, name, Dhcp4LeaseState.Bound, T0.AddMinutes(10)));

    private static DnsMessage Ask(LocalNames names, string name, DnsType type) =>
        names.TryAnswer(new DnsMessage { Id = 1, Flags = DnsMessage.QueryFlags(), Questions = [new DnsQuestion(DnsName.Parse(name), type)] })
        ?? throw new InvalidOperationException($"{name} is not local");

    private static IPAddress? A(LocalNames names, string name) =>
        Ask(names, name, DnsType.A).Answers.Select(a => a.Data).OfType<DnsAddressData>().Select(d => d.Address).SingleOrDefault();

    private static List<IPAddress> AAAA(LocalNames names, string name) =>
        Ask(names, name, DnsType.Aaaa).Answers.Select(a => a.Data).OfType<DnsAddressData>().Select(d => d.Address).ToList();

    private static string? Ptr(LocalNames names, string name) =>
        Ask(names, name, DnsType.Ptr).Answers.Select(a => a.Data).OfType<DnsNameData>().Select(d => d.Name.ToString().TrimEnd('.')).SingleOrDefault();
}
