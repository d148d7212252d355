using IpoeRouter.Model.Validation;
using IpoeRouter.Model.Yaml;
using Xunit;

namespace IpoeRouter.Model.Tests;

public sealed class ValidatorTests
{
    private const string File = "router.yaml";

    private const string AcceptRaWithForwarding = """
        version: 1
        interfaces:
          - { name: enp2s0, role: lan, addresses: [192.0.2.1/24] }
        sysctl:
          - { name: net.ipv6.conf.all.forwarding, value: 1 }
          - { name: net.ipv6.conf.enp1s0.accept_ra, value: 1 }
        """;

    [Fact]
    public void AcceptRaOne_WithForwarding_WarnsAtTheValue()
    {
        LoadedDocument loaded = DocumentLoader.Load(AcceptRaWithForwarding, File);

        Diagnostic warning = Assert.Single(loaded.Warnings);
        Assert.Equal(DiagnosticIds.AcceptRaIgnoredWithForwarding, warning.Id);
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Equal("sysctl[1].value", warning.Path);
        Assert.Equal(new SourceLocation(File, 6, 52), warning.Location);
    }

    [Fact]
    public void AcceptRaOne_WithForwarding_IsCorrectedToTwoInEffectiveOnly()
    {
        LoadedDocument loaded = DocumentLoader.Load(AcceptRaWithForwarding, File);

        Assert.Equal(new SysctlSetting("net.ipv6.conf.enp1s0.accept_ra", "1"), loaded.Declared.Sysctl[1]);
        Assert.Equal(new SysctlSetting("net.ipv6.conf.enp1s0.accept_ra", "2"), loaded.Effective.Sysctl[1]);
        Assert.Equal(loaded.Declared.Sysctl[0], loaded.Effective.Sysctl[0]);
    }

    [Fact]
    public void AcceptRaOne_WithoutForwarding_NoWarningAndNoCorrection()
    {
        const string text = """
            version: 1
            interfaces:
              - { name: enp2s0, role: lan, addresses: [192.0.2.1/24] }
            sysctl:
              - { name: net.ipv6.conf.enp1s0.accept_ra, value: 1 }
            """;

        LoadedDocument loaded = DocumentLoader.Load(text, File);

        Assert.Empty(loaded.Warnings);
        Assert.Equal(loaded.Declared, loaded.Effective);
        Assert.Equal("1", loaded.Effective.Sysctl[0].Value);
    }

    [Fact]
    public void AcceptRaOne_WithForwardingExplicitlyOff_NoWarningAndNoCorrection()
    {
        const string text = """
            version: 1
            sysctl:
              - { name: net.ipv6.conf.all.forwarding, value: 0 }
              - { name: net.ipv6.conf.enp1s0.accept_ra, value: 1 }
            """;

        LoadedDocument loaded = DocumentLoader.Load(text, File);

        Assert.Empty(loaded.Warnings);
        Assert.Equal(loaded.Declared, loaded.Effective);
    }

    [Theory]
    [InlineData("all")]
    [InlineData("default")]
    public void AcceptRaOneOnAllOrDefault_WithForwarding_WarnsWithoutCorrection(string device)
    {
        string text = $$"""
            version: 1
            sysctl:
              - { name: net.ipv6.conf.all.forwarding, value: 1 }
              - { name: net.ipv6.conf.{{device}}.accept_ra, value: 1 }
            """;

        LoadedDocument loaded = DocumentLoader.Load(text, File);

        Diagnostic warning = Assert.Single(loaded.Warnings);
        Assert.Equal(DiagnosticIds.AcceptRaIgnoredWithForwarding, warning.Id);
        Assert.Equal(4, warning.Location?.Line);
        Assert.Equal(loaded.Declared, loaded.Effective);
        Assert.Equal("1", loaded.Effective.Sysctl[1].Value);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("2")]
    public void AcceptRaOtherThanOne_WithForwarding_NoWarning(string value)
    {
        string text = $$"""
            version: 1
            sysctl:
              - { name: net.ipv6.conf.all.forwarding, value: 1 }
              - { name: net.ipv6.conf.enp1s0.accept_ra, value: {{value}} }
            """;

        LoadedDocument loaded = DocumentLoader.Load(text, File);

        Assert.Empty(loaded.Warnings);
        Assert.Equal(loaded.Declared, loaded.Effective);
    }

    [Fact]
    public void Validate_InMemoryDocumentWithForwarding_CorrectsWithoutLocation()
    {
        RouterDocument doc = RouterDocument.Empty
            .WithSysctl(new SysctlSetting("net.ipv6.conf.all.forwarding", "1"))
            .WithSysctl(new SysctlSetting("net.ipv6.conf.enp1s0.accept_ra", "1"));

        ValidationResult result = DocumentValidator.Validate(doc);

        Assert.True(result.IsValid);
        Diagnostic warning = Assert.Single(result.Warnings);
        Assert.Equal(DiagnosticIds.AcceptRaIgnoredWithForwarding, warning.Id);
        Assert.Null(warning.Location);
        Assert.Same(doc, result.Declared);
        Assert.Equal("2", result.Effective.Sysctl[1].Value);
    }

    [Fact]
    public void Load_ThreeReaderErrors_ReportsAllThreeOrderedByLine()
    {
        // The reader reads interfaces before dhcpScopes and sysctl; the errors still come out in text order.
        const string text = """
            version: 1
            sysctl:
              - { name: net.ipv4.ip_forward, value: [1] }
            dhcpScopes:
              - { name: home, interface: enp2s0, leaseTime: 5400 }
            interfaces:
              - { name: enp2s0, role: lan, mtu: 100, addresses: [192.0.2.1/24] }
            """;

        DocumentException ex = Assert.Throws<DocumentException>(() => DocumentLoader.Load(text, File));

        Assert.Equal(
            [(DiagnosticIds.WrongNodeType, 3), (DiagnosticIds.InvalidDuration, 5), (DiagnosticIds.ValueOutOfRange, 7)],
            ex.Errors.Select(e => (e.Id, e.Location!.Line)));
        Assert.Equal(DiagnosticIds.WrongNodeType, ex.ErrorId);
    }

    [Fact]
    public void Load_ThreeDistinctErrors_ReportsExactlyThree()
    {
        const string text = """
            version: 1
            interfaces:
              - name: enp1s0
                role: wan
                acceptRa: yes
              - name: enp2s0
                role: lan
                mtu: 100
                addresses: [192.0.2.1]
            """;

        DocumentException ex = Assert.Throws<DocumentException>(() => DocumentLoader.Load(text, File));

        Assert.Equal(
            [
                new SourceLocation(File, 5, 15),
                new SourceLocation(File, 8, 10),
                new SourceLocation(File, 9, 17),
            ],
            ex.Errors.Select(e => e.Location));
        Assert.Equal(
            [DiagnosticIds.InvalidBoolean, DiagnosticIds.ValueOutOfRange, DiagnosticIds.InvalidInterfaceAddress],
            ex.Errors.Select(e => e.Id));
        Assert.Equal(3, ex.Diagnostics.Count);
    }

    [Fact]
    public void Load_ThreeValidatorErrors_ReportsAllThreeOrderedByLine()
    {
        const string text = """
            version: 1
            interfaces:
              - { name: enp1s0, role: wan }
              - { name: enp2s0, role: lan, addresses: [192.0.2.1/24] }
            dnsForwarder:
              interfaces: [enp1s0]
            firewallRules:
              - { name: in-dhcpv6-client, chain: input, dport: 546, action: accept }
              - { name: in-log-drop, chain: input, jump: logdrop }
            """;

        DocumentException ex = Assert.Throws<DocumentException>(() => DocumentLoader.Load(text, File));

        Assert.Equal(
            [(DiagnosticIds.InvalidCombination, 6), (DiagnosticIds.InvalidCombination, 8), (DiagnosticIds.UnknownChain, 9)],
            ex.Errors.Select(e => (e.Id, e.Location!.Line)));
    }

    [Fact]
    public void Load_ErrorsAndWarnings_PutsErrorsFirst()
    {
        const string text = """
            version: 1
            sysctl:
              - { name: net.ipv6.conf.all.forwarding, value: 1 }
              - { name: net.ipv6.conf.enp1s0.accept_ra, value: 1 }
            firewallRules:
              - { name: in-log-drop, chain: input, jump: logdrop }
            """;

        DocumentException ex = Assert.Throws<DocumentException>(() => DocumentLoader.Load(text, File));

        Assert.Equal(
            [(Severity.Error, DiagnosticIds.UnknownChain), (Severity.Warning, DiagnosticIds.AcceptRaIgnoredWithForwarding)],
            ex.Diagnostics.Select(d => (d.Severity, d.Id)));
        Assert.Equal(DiagnosticIds.UnknownChain, ex.ErrorId);
    }

    [Fact]
    public void Check_InMemoryDocumentWithError_ThrowsWithDocumentPath()
    {
        RouterDocument doc = RouterDocument.Empty
            .WithInterface(new Interface("enp2s0") { Role = InterfaceRole.Lan })
            .WithDhcpScope(new DhcpScope("home", "enp2s0") { Range = new AddressRange(System.Net.IPAddress.Parse("192.0.2.100"), System.Net.IPAddress.Parse("192.0.2.199")) });

        DocumentException ex = Assert.Throws<DocumentException>(() => DocumentLoader.Check(doc, "Set-IpoeDhcpScope"));

        Diagnostic error = Assert.Single(ex.Errors);
        Assert.Equal(DiagnosticIds.DhcpScopeWithoutAddress, error.Id);
        Assert.Equal("dhcpScopes[0].interface", error.Path);
        Assert.Null(error.Location);
        Assert.Equal("Set-IpoeDhcpScope", ex.Target);
    }

    [Fact]
    public void Validate_TunnelWithExistFalse_SkipsItsBindings()
    {
        RouterDocument doc = RouterDocument.Empty.WithTunnel(
            new Tunnel("ip6tnl1", new StaticRemote(System.Net.IPAddress.Parse("2001:db8::feed:100")), new InterfaceLocal("enp9s0")) { Exist = false });

        Assert.True(DocumentValidator.Validate(doc).IsValid);
    }

    [Fact]
    public void Validate_MapETunnelDiscoveredRemote_WarnsNotImplementedTwice()
    {
        RouterDocument doc = RouterDocument.Empty
            .WithInterface(new Interface("enp1s0") { Role = InterfaceRole.Wan })
            .WithTunnel(new Tunnel("mape0", new DiscoveredRemote(RemoteDiscovery.Hb46pp), new InterfaceLocal("enp1s0")) { Kind = TunnelKind.MapE });

        ValidationResult result = DocumentValidator.Validate(doc);

        Assert.True(result.IsValid);
        Assert.Equal(
            [("tunnels[0].kind", DiagnosticIds.NotImplemented), ("tunnels[0].remote", DiagnosticIds.NotImplemented)],
            result.Warnings.Select(w => (w.Path, w.Id)));
    }

    [Fact]
    public void Validate_DiscoverDhcpv6WithoutADelegation_IsAnError_AndWithOneIsSilent()
    {
        RouterDocument doc = RouterDocument.Empty
            .WithInterface(new Interface("enp1s0") { Role = InterfaceRole.Wan })
            .WithTunnel(new Tunnel("ip6tnl1", new DiscoveredRemote(RemoteDiscovery.Dhcpv6), new InterfaceLocal("enp1s0")));

        ValidationResult without = DocumentValidator.Validate(doc);
        Assert.Equal([("tunnels[0].remote", DiagnosticIds.BindingNeverResolves)], without.Errors.Select(e => (e.Path, e.Id)));

        ValidationResult with = DocumentValidator.Validate(doc.WithPrefixDelegation(new PrefixDelegation("hgw", "enp1s0")));
        Assert.True(with.IsValid);
        Assert.Empty(with.Warnings);
    }

    [Fact]
    public void Validate_FqdnRemoteWithNoWanDnsToAsk_Warns()
    {
        RouterDocument doc = RouterDocument.Empty
            .WithInterface(new Interface("enp1s0") { Role = InterfaceRole.Wan, AcceptRa = false, Addresses = [new StaticAddress(new(System.Net.IPAddress.Parse("2001:db8:1::2"), 64))] })
            .WithTunnel(new Tunnel("ip6tnl1", new FqdnRemote("aftr.example"), new InterfaceLocal("enp1s0")));

        ValidationResult result = DocumentValidator.Validate(doc);

        Assert.True(result.IsValid);
        Assert.Equal([("tunnels[0].remote", DiagnosticIds.BindingNeverResolves)], result.Warnings.Select(w => (w.Path, w.Id)));
    }
}
