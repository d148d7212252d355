using System.Net;
using IpoeRouter.Model.Import;
using Xunit;

namespace IpoeRouter.Model.Tests;

public sealed class Dhcp6cConfImportTests
{
    private const string Ngn = """
        # directly on the NGN
        interface eth0 {
          send ia-pd 7;   # the delegation
          send rapid-commit;
          request domain-name-servers;
          request ntp-servers;
        };
        id-assoc pd 7 {
          prefix-interface eth1 { sla-id 3; sla-len 8; ifid 1; };
          prefix-interface eth2 {
            sla-id 4;
            sla-len 8;
            ifid 2;
          };
        };
        profile default { information-only; };
        """;

    [Fact]
    public void Ngn_SlaLen8_IsA56WithTwoDownstreams()
    {
        SourceImport import = Dhcp6cConfImporter.Import(new SourceText("dhcp6c.conf", Ngn));

        PrefixDelegation pd = Assert.Single(import.Fragment.PrefixDelegations);
        Assert.Equal(("ngn", "eth0", 56, true), (pd.Name, pd.Interface, pd.PrefixLength, pd.RapidCommit));
        Assert.Equal([new Downstream("eth1", 3) { Host = IPAddress.Parse("::1") }, new Downstream("eth2", 4) { Host = IPAddress.Parse("::2") }], pd.Downstreams);
        Assert.Equal(
            [("eth0", InterfaceRole.Wan), ("eth1", InterfaceRole.Lan), ("eth2", InterfaceRole.Lan)],
            import.Fragment.Interfaces.Select(i => (i.Name, i.Role)));
    }

    [Fact]
    public void Ngn_EveryLineAccounted_WithItsOutcome()
    {
        SourceImport import = Dhcp6cConfImporter.Import(new SourceText("dhcp6c.conf", Ngn));

        ImportAssert.EveryLineOnce("dhcp6c.conf", Ngn, import.Lines);
        Assert.Equal(
            [
                ImportOutcome.CommentOrBlank, ImportOutcome.Absorbed, ImportOutcome.Imported, ImportOutcome.Imported, ImportOutcome.Absorbed,
                ImportOutcome.NotExpressible, ImportOutcome.Absorbed, ImportOutcome.Absorbed, ImportOutcome.Imported, ImportOutcome.Imported,
                ImportOutcome.Imported, ImportOutcome.Imported, ImportOutcome.Imported, ImportOutcome.Absorbed, ImportOutcome.Absorbed,
                ImportOutcome.NotExpressible,
            ],
            import.Lines.Select(l => l.Outcome));
        Assert.Contains("64 - sla-len 8", import.At(12).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void AssociationNobodySends_IsNotExpressible()
    {
        const string text = "id-assoc pd 1 {\n  prefix-interface lan { sla-id 0; sla-len 4; };\n};\n";
        SourceImport import = Dhcp6cConfImporter.Import(new SourceText("d.conf", text));

        Assert.Empty(import.Fragment.PrefixDelegations);
        Assert.Equal(ImportOutcome.NotExpressible, import.At(1).Outcome);
        Assert.Equal(ImportOutcome.NotExpressible, import.At(2).Outcome);
    }

    [Fact]
    public void MissingSemicolon_ThrowsSyntaxErrorNamingFileLineAndColumn()
    {
        const string text = "interface enp1s0 {\n  send ia-pd 0\n};\n";
        var e = Assert.Throws<IpoeException>(() => Dhcp6cConfImporter.Import(new SourceText("dhcp6c.conf", text)));

        Assert.Equal(ImportErrorIds.ImportSourceSyntaxError, e.ErrorId);
        Assert.Equal("dhcp6c.conf:3:1", e.Target);
    }

    [Fact]
    public void WideDefaults_InterfaceWithoutDelegation_IsNotExpressible()
    {
        const string text = "# defaults\nINTERFACES=\"enp1s0 enp9s0\"\nVERBOSE=1\nFOO=bar\n";
        SourceImport import = WideDhcpv6DefaultsImporter.Import(new SourceText("wide", text), [new PrefixDelegation("hgw", "enp1s0")]);

        ImportAssert.EveryLineOnce("wide", text, import.Lines);
        Assert.Equal([ImportOutcome.CommentOrBlank, ImportOutcome.NotExpressible, ImportOutcome.Absorbed, ImportOutcome.NotExpressible], import.Lines.Select(l => l.Outcome));
        Assert.Contains("enp9s0", import.At(2).Detail, StringComparison.Ordinal);
    }
}
