using IpoeRouter.Model.Import;
using Xunit;

namespace IpoeRouter.Model.Tests;

public sealed class SysctlConfImportTests
{
    [Fact]
    public void AcceptRaOnAnInterface_IsAbsorbedAsAcceptRa_OthersImported()
    {
        const string conf = "# main\nnet.ipv6.conf.all.forwarding = 1\nnet.ipv6.conf.enp1s0.accept_ra=1\n; old style comment\nnet/ipv6/conf/enp2s0.100/accept_ra = 0\n";
        SourceImport import = SysctlConfImporter.Import([new SourceText("sysctl.conf", conf)]);

        ImportAssert.EveryLineOnce("sysctl.conf", conf, import.Lines);
        Assert.Equal([ImportOutcome.CommentOrBlank, ImportOutcome.Imported, ImportOutcome.Absorbed, ImportOutcome.CommentOrBlank, ImportOutcome.Absorbed], import.Lines.Select(l => l.Outcome));
        Assert.Contains("the engine sets accept_ra 2 on RA-taking interfaces while forwarding", import.At(3).Detail, StringComparison.Ordinal);
        Assert.Equal([new SysctlSetting("net.ipv6.conf.all.forwarding", "1")], import.Fragment.Sysctl);
        Assert.Equal([("enp1s0", (bool?)true), ("enp2s0.100", false)], import.Fragment.Interfaces.Select(i => (i.Name, i.AcceptRa)));
    }

    [Fact]
    public void LaterFile_WinsOverEarlier_AndLineWithoutValueIsNotExpressible()
    {
        SourceImport import = SysctlConfImporter.Import([
            new SourceText("sysctl.conf", "net.ipv4.ip_forward=0\n"),
            new SourceText("sysctl.d/99-router.conf", "net.ipv4.ip_forward=1\nkernel.panic\n"),
        ]);

        Assert.Equal([new SysctlSetting("net.ipv4.ip_forward", "1")], import.Fragment.Sysctl);
        Assert.Equal(ImportOutcome.NotExpressible, import.Lines.Single(l => l is { Source: "sysctl.d/99-router.conf", Line: 2 }).Outcome);
    }
}
