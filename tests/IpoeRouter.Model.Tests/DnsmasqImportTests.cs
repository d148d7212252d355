using System.Net;
using IpoeRouter.Model.Import;
using Xunit;

namespace IpoeRouter.Model.Tests;

public sealed class DnsmasqImportTests
{
    private const string V4 = """
        interface=br0
        domain=home.arpa
        # pool
        dhcp-range=tag:br0,192.168.2.100,192.168.2.199,255.255.255.0,12h
        dhcp-option=option:router,192.168.2.1
        dhcp-option=tag:br0,6,192.168.2.1,192.168.2.2
        dhcp-host=00:11:22:33:44:55,printer,192.168.2.50,infinite
        dhcp-option=option:tftp-server,192.168.2.9
        server=192.168.2.254
        cache-size=500
        addn-hosts=/etc/hosts.extra
        """;

    private const string V6 = """
        dhcp-range=::,constructor:br0,ra-only

        enable-ra
        dhcp-range=::100,::1ff,constructor:br0
        """;

    private static SourceImport Import() => DnsmasqImporter.Import([new SourceText("00.conf", V4), new SourceText("01.conf", V6)]);

    [Fact]
    public void TwoFiles_ReadAsOneConfiguration_IntoOneScopePerInterface()
    {
        DhcpScope scope = Assert.Single(Import().Fragment.DhcpScopes);

        Assert.Equal(("br0", "br0"), (scope.Name, scope.Interface));
        Assert.Equal("192.168.2.100-192.168.2.199", scope.Range?.ToString());
        Assert.Equal(TimeSpan.FromHours(12), scope.LeaseTime);
        Assert.Equal(IPAddress.Parse("192.168.2.1"), scope.Router);
        Assert.Equal([IPAddress.Parse("192.168.2.1"), IPAddress.Parse("192.168.2.2")], scope.DnsServers);
        Assert.Equal("home.arpa", scope.Domain);
        Assert.Equal(Ipv6Mode.RaOnly, scope.Ipv6Mode);
        DhcpReservation r = Assert.Single(scope.Reservations);
        Assert.Equal((IPAddress.Parse("192.168.2.50"), "00:11:22:33:44:55", "printer"), (r.Address, r.Mac, r.Hostname));
    }

    [Fact]
    public void Forwarder_TakesInterfaceUpstreamAndCacheSize()
    {
        DnsForwarder dns = Import().Fragment.DnsForwarder!;

        Assert.Equal(["br0"], dns.Interfaces);
        Assert.Equal([IPAddress.Parse("192.168.2.254")], dns.Upstreams);
        Assert.Equal(500, dns.CacheSize);
    }

    [Fact]
    public void EveryLineOfBothFiles_AccountedWithItsOutcome()
    {
        SourceImport import = Import();

        ImportAssert.EveryLineOnce("00.conf", V4, import.Lines);
        ImportAssert.EveryLineOnce("01.conf", V6, import.Lines);
        Assert.Equal(
            [
                ("00.conf", 8, ImportOutcome.NotExpressible), // tftp-server: not an option a scope carries
                ("00.conf", 11, ImportOutcome.NotExpressible), // addn-hosts: unknown
                ("01.conf", 4, ImportOutcome.NotExpressible), // stateful DHCPv6
            ],
            import.Lines.Where(l => l.Outcome == ImportOutcome.NotExpressible).Select(l => (l.Source, l.Line, l.Outcome)));
        Assert.Equal(ImportOutcome.CommentOrBlank, import.Lines.Single(l => l is { Source: "01.conf", Line: 2 }).Outcome);
        Assert.Equal(ImportOutcome.Absorbed, import.Lines.Single(l => l is { Source: "01.conf", Line: 3 }).Outcome);
    }
}
