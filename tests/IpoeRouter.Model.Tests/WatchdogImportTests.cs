using IpoeRouter.Model.Import;
using Xunit;

namespace IpoeRouter.Model.Tests;

public sealed class WatchdogImportTests
{
    [Fact]
    public void Crontab_WatchdogsAbsorbed_OtherJobNotExpressible_MissingScriptNamed()
    {
        const string crontab = "MAILTO=root\n# watchdogs\n* * * * * /usr/local/sbin/check-ipoe.sh >/dev/null 2>&1\n*/5 * * * * /usr/local/sbin/check-tunnel.sh\n0 3 * * * /usr/bin/apt-get -q update\n";
        var script = new SourceText("check-ipoe.sh", "#!/bin/sh\nsystemctl restart wide-dhcpv6-client\n");
        SourceImport import = WatchdogImporter.ImportCrontab(new SourceText("crontab", crontab), [script]);

        ImportAssert.EveryLineOnce("crontab", crontab, import.Lines);
        Assert.Equal(
            [ImportOutcome.Absorbed, ImportOutcome.CommentOrBlank, ImportOutcome.Absorbed, ImportOutcome.Absorbed, ImportOutcome.NotExpressible],
            import.Lines.Select(l => l.Outcome));
        Assert.Contains("replaced by ipoe-agent", import.At(3).Detail, StringComparison.Ordinal);
        Assert.Contains("PD client", import.At(3).Detail, StringComparison.Ordinal);
        Assert.Contains("check-tunnel.sh is not among the sources", import.At(4).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Script_EveryCommandLineAbsorbed_ShebangIsComment()
    {
        var script = new SourceText("check-nwconn.sh", "#!/bin/bash\n\nping -c 2 example.com || netplan apply\n");
        SourceImport import = WatchdogImporter.ImportScript(script);

        ImportAssert.EveryLineOnce("check-nwconn.sh", script.Text, import.Lines);
        Assert.Equal([ImportOutcome.CommentOrBlank, ImportOutcome.CommentOrBlank, ImportOutcome.Absorbed], import.Lines.Select(l => l.Outcome));
    }
}
