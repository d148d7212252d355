using System.Text.RegularExpressions;
using IpoeRouter.Agent.Systemd;
using Xunit;

namespace IpoeRouter.Agent.Tests.Systemd;

public sealed class AgentLogTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    [Theory]
    [InlineData(AgentLogLevel.Error, "<3>")]
    [InlineData(AgentLogLevel.Warning, "<4>")]
    [InlineData(AgentLogLevel.Info, "<6>")]
    [InlineData(AgentLogLevel.Debug, "<7>")]
    public void Journal_EachLevel_GetsItsSyslogPriority_AndNoTime(AgentLogLevel level, string prefix)
    {
        var writer = new StringWriter();
        new AgentLog(writer, journal: true, new FixedTime(At)).Write(level, "pd:hgw: delegated 2001:db8:1200::/60");

        Assert.Equal($"{prefix}pd:hgw: delegated 2001:db8:1200::/60\n", writer.ToString());
    }

    [Fact]
    public void Journal_Helpers_WriteTheirLevels()
    {
        var writer = new StringWriter();
        var log = new AgentLog(writer, journal: true);
        log.Error("e");
        log.Warning("w");
        log.Info("i");
        log.Debug("d");
        log.AsAction()("a");
        log.AsAction(AgentLogLevel.Warning)("b");

        Assert.Equal("<3>e\n<4>w\n<6>i\n<7>d\n<6>a\n<4>b\n", writer.ToString());
    }

    [Fact]
    public void Journal_MultiLineMessage_PrefixesEveryLine()
    {
        var writer = new StringWriter();
        new AgentLog(writer, journal: true).Error("agent: stopped by an unexpected error: boom\n   at Foo()\r\n   at Bar()");

        Assert.Equal("<3>agent: stopped by an unexpected error: boom\n<3>   at Foo()\n<3>   at Bar()\n", writer.ToString());
    }

    [Fact]
    public void Plain_LineIsUtcTimeLevelText()
    {
        var writer = new StringWriter();
        var log = new AgentLog(writer, journal: false, new FixedTime(At));
        log.Info("agent: pid 42");
        log.Warning("dns: no upstream");
        log.Error("agent: stopped (1)");
        log.Debug("netlink: 3 events");

        Assert.Equal(
            "2026-01-02T03:04:05.678Z info agent: pid 42\n" +
            "2026-01-02T03:04:05.678Z warning dns: no upstream\n" +
            "2026-01-02T03:04:05.678Z error agent: stopped (1)\n" +
            "2026-01-02T03:04:05.678Z debug netlink: 3 events\n",
            writer.ToString());
        Assert.False(log.IsJournal);
    }

    [Fact]
    public void Maximum_Info_LeavesDebugOut()
    {
        var writer = new StringWriter();
        var log = new AgentLog(writer, journal: true, maximum: AgentLogLevel.Info);
        log.Debug("hidden");
        log.Info("shown");

        Assert.Equal("<6>shown\n", writer.ToString());
    }

    [Fact]
    public void ManyThreads_LinesNeverInterleave()
    {
        var writer = new StringWriter();
        var log = new AgentLog(writer, journal: false);
        Parallel.For(0, 8, t =>
        {
            for (int i = 0; i < 250; i++)
            {
                log.Info($"thread {t} line {i} " + new string('x', 200));
            }
        });

        string[] lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2000, lines.Length);
        Assert.All(lines, l => Assert.Matches(new Regex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info thread \d line \d+ x{200}$"), l));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
