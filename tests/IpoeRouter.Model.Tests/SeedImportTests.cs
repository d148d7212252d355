using IpoeRouter.Model.Import;
using IpoeRouter.Model.Validation;
using IpoeRouter.Model.Yaml;
using Xunit;

namespace IpoeRouter.Model.Tests;

/// <summary>
/// Issue 16: the seed router's files (Seed/, copied from the shared seed) import into one document
/// that validates and matches examples/flets-transix-hgw.yaml in every resource, except for the
/// differences listed in the tables below, each with its reason.
/// </summary>
public sealed class SeedImportTests
{
    private const string Bionic = "netplan-01-netcfg.yaml";
    private const string Focal = "netplan-01-netcfg-focal.yaml";

    /// <summary>What differs between the import of the 18.04 files and the example, and why.</summary>
    private static readonly Dictionary<string, string> s_bionicDifferences = new()
    {
        ["tunnels/ip6tnl1"] = "the example writes mtu: 1460, the default; netplan had no mtu, so the import leaves it undeclared (same effective MTU)",
        ["firewallRules"] = "ip6tables gives one IPv6 rule per line named chain-N; the example groups the ICMPv6 types, names rules by purpose and adds the IPv4 rules the seed never had (in-dhcp4-client, fwd-tunnel-established, out-tunnel)",
    };

    /// <summary>What differs between the import of the 20.04 files and the example, and why.</summary>
    private static readonly Dictionary<string, string> s_focalDifferences = new(s_bionicDifferences)
    {
        ["interfaces/enp1s0"] = "20.04 made the WAN's IPv4 fixed (192.168.1.2/24, no dhcp4), overlapping the LAN's 192.168.1.10/24; the document refuses the overlap, so that address is reported not expressible and the WAN has no IPv4 of its own",
        ["routes/192.168.1.1/32"] = "20.04's host route to the HGW (via the WAN's own address: on-link) is imported; the example takes the HGW's subnet by DHCPv4 and needs none",
    };

    private static RouterDocument Example =>
        DocumentLoader.Load(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", "flets-transix-hgw.yaml")), "flets-transix-hgw.yaml").Declared;

    [Fact]
    public void SeedFolder_Bionic_ValidatesWithoutDiagnosticsAndDiffersFromExampleOnlyAsListed()
    {
        RouterImport import = RouterImporter.Import(SeedFixture.Sources(Focal));

        Assert.Empty(DocumentValidator.Validate(import.Document).Diagnostics);
        Assert.Equal(s_bionicDifferences.Keys.Order(), Differences(import.Document, Example).Order());
        Assert.Equal(Example.Tunnels[0].EffectiveMtu, import.Document.Tunnels[0].EffectiveMtu);
    }

    [Fact]
    public void SeedFolder_Focal_ValidatesWithoutErrorsAndDiffersFromExampleOnlyAsListed()
    {
        RouterImport import = RouterImporter.Import(SeedFixture.Sources(Bionic));

        Assert.True(DocumentValidator.Validate(import.Document).IsValid);
        Assert.Equal(s_focalDifferences.Keys.Order(), Differences(import.Document, Example).Order());
        AccountedLine dropped = Assert.Single(import.Problems);
        Assert.Equal((Focal, 9), (dropped.Source, dropped.Line));
        Assert.Contains("overlaps 192.168.1.10/24 on enp2s0", dropped.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void SeedFolder_EveryLineOfEveryFileAccountedOnce_NoneNotExpressible()
    {
        List<(LegacySourceKind Kind, SourceText Source)> sources = SeedFixture.Sources(Focal);
        RouterImport import = RouterImporter.Import(sources);

        foreach (var (_, source) in sources)
        {
            ImportAssert.EveryLineOnce(source.File, source.Text, import.Lines);
        }

        Assert.Equal(sources.Count, import.Lines.Select(l => l.Source).Distinct().Count());
        Assert.Empty(import.Problems);
        // imported, absorbed, not expressible, comment or blank
        Assert.Equal(
            (71, 57, 0, 26),
            (import.Count(ImportOutcome.Imported), import.Count(ImportOutcome.Absorbed), import.Count(ImportOutcome.NotExpressible), import.Count(ImportOutcome.CommentOrBlank)));
    }

    [Fact]
    public void SeedFolder_HardCodedTunnelLocal_BecomesBindingAndAcceptRaIsTheEngines()
    {
        RouterImport import = RouterImporter.Import(SeedFixture.Sources(Focal));

        AccountedLine local = import.Lines.Single(l => l.Source == Bionic && l.Text.TrimStart().StartsWith("local:", StringComparison.Ordinal));
        Assert.Equal((18, ImportOutcome.Imported), (local.Line, local.Outcome));
        Assert.Contains("{ fromInterface: enp1s0 }", local.Detail, StringComparison.Ordinal);
        AccountedLine acceptRa = import.Lines.Single(l => l.Source == "sysctl.conf" && l.Line == 1);
        Assert.Equal(ImportOutcome.Absorbed, acceptRa.Outcome);
        Assert.Contains("the engine sets accept_ra 2 on RA-taking interfaces while forwarding", acceptRa.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(import.Document.Sysctl, s => s.Key == "accept_ra");
    }

    [Fact]
    public void SeedFolder_Imported_WritesAndReadsBackAsTheSameDocument()
    {
        RouterDocument doc = RouterImporter.Import(SeedFixture.Sources(Focal)).Document;

        Assert.Equal(doc, DocumentLoader.Load(DocumentWriter.Write(doc), "imported.yaml").Declared);
    }

    [Fact]
    public void SeedFolder_BothNetplanVariants_IsAConflictNamingBothPlaces()
    {
        var e = Assert.Throws<IpoeException>(() => RouterImporter.Import(SeedFixture.Sources()));

        Assert.Equal(ImportErrorIds.ImportSourceConflict, e.ErrorId);
        Assert.Equal($"{Bionic}:4", e.Target);
        Assert.Contains($"{Focal}:4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoSources_IsImportSourceEmpty()
    {
        var e = Assert.Throws<IpoeException>(() => RouterImporter.Import([]));

        Assert.Equal(ImportErrorIds.ImportSourceEmpty, e.ErrorId);
    }

    [Fact]
    public void WithoutDhcp6cConf_TunnelStillBindsToTheInterfaceTakingRas()
    {
        RouterImport import = RouterImporter.Import(SeedFixture.Sources(Focal, "dhcp6c.conf", "default-wide-dhcpv6-client"));

        Assert.Equal(new InterfaceLocal("enp1s0"), Assert.Single(import.Document.Tunnels).Local);
        Assert.Empty(import.Document.PrefixDelegations);
    }

    /// <summary>Keys (kind/name, or a whole section) whose content differs between the two documents.</summary>
    private static List<string> Differences(RouterDocument imported, RouterDocument example)
    {
        var keys = new List<string>();
        void Keyed<T>(string kind, IEnumerable<T> a, IEnumerable<T> b, Func<T, string> key)
            where T : notnull
        {
            var left = a.ToDictionary(key);
            var right = b.ToDictionary(key);
            keys.AddRange(left.Keys.Union(right.Keys).Where(k => !left.TryGetValue(k, out T? x) || !right.TryGetValue(k, out T? y) || !x.Equals(y)).Select(k => $"{kind}/{k}"));
        }

        Keyed("interfaces", imported.Interfaces, example.Interfaces, i => i.Name);
        Keyed("prefixDelegations", imported.PrefixDelegations, example.PrefixDelegations, p => p.Name);
        Keyed("tunnels", imported.Tunnels, example.Tunnels, t => t.Name);
        Keyed("dhcpScopes", imported.DhcpScopes, example.DhcpScopes, s => s.Name);
        Keyed("routes", imported.Routes, example.Routes, r => r.Key);
        Keyed("sysctl", imported.Sysctl, example.Sysctl, s => s.Name);
        if (!Equals(imported.DnsForwarder, example.DnsForwarder))
        {
            keys.Add("dnsForwarder");
        }

        if (!Equals(imported.Firewall, example.Firewall))
        {
            keys.Add("firewall");
        }

        if (!imported.FirewallRules.Equals(example.FirewallRules))
        {
            keys.Add("firewallRules");
        }

        return keys;
    }
}
