using System.Globalization;
using System.Text.RegularExpressions;
using IpoeRouter.Engine;
using IpoeRouter.Engine.Installation;
using IpoeRouter.Lab;
using IpoeRouter.Model;
using Xunit;
using Xunit.Abstractions;

namespace IpoeRouter.Agent.Tests.Systemd;

/// <summary>
/// The agent's unit (packaging/systemd/ipoe-agent.service), rendered as Install-IpoeAgent renders
/// it, checked by systemd-analyze itself: <c>verify</c> (syntax, directives, the executable) and
/// <c>security --offline=yes</c> (the sandbox's exposure score).
/// </summary>
public sealed class UnitFileTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>
    /// The most exposure allowed. systemd 252 scores this unit 2.3: what is left is what a router is
    /// (root, the host's network, netlink, AF_INET/AF_INET6/AF_UNIX, AF_PACKET for the WAN's DHCPv4
    /// client before it has an address and for its ARP probe, CAP_NET_ADMIN and CAP_NET_RAW,
    /// no IP allow list), the /proc process tree (the conflict scan reads other programs' comm and
    /// uid to name who holds a port) and the rtc read ACL ProtectClock= adds. 0.1 above it absorbs
    /// rounding and the small weight changes between systemd versions; losing any protection listed
    /// in <see cref="MustPass"/> fails that test whatever the score.
    /// </summary>
    private const double MaxExposure = 2.4;

    /// <summary>Checks that must pass whatever systemd weighs them at.</summary>
    private static readonly string[] MustPass =
    [
        "NoNewPrivileges=", "ProtectSystem=", "ProtectHome=", "PrivateTmp=", "ProtectKernelTunables=",
        "ProtectKernelModules=", "ProtectKernelLogs=", "ProtectControlGroups=", "ProtectClock=", "ProtectHostname=",
        "MemoryDenyWriteExecute=", "LockPersonality=", "RestrictRealtime=", "RestrictSUIDSGID=", "SystemCallArchitectures=",
        "CapabilityBoundingSet=~CAP_SYS_ADMIN", "CapabilityBoundingSet=~CAP_SYS_PTRACE", "CapabilityBoundingSet=~CAP_(DAC_*|FOWNER|IPC_OWNER)",
        "SystemCallFilter=~@privileged", "SystemCallFilter=~@mount", "RestrictNamespaces=~net", "UMask=",
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("ipoe-unit-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SystemdAnalyzeFact]
    public void Verify_RenderedUnit_HasNothingToSay()
    {
        string unit = Render();

        (int code, string stdout, string stderr) = SystemdAnalyze.Run("verify", unit);

        output.WriteLine(stdout + stderr);
        Assert.Equal(0, code);
        // Observed here: no output at all. verify also loads the units ours names (network-pre.target,
        // multi-user.target, ...) from this machine; a complaint about one of those files is the
        // machine's, not ours, so lines naming another unit file are left out. Everything else counts.
        string[] ours = [.. stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !IsAboutAnotherUnitFile(l))];
        Assert.Empty(ours);
    }

    [SystemdAnalyzeFact]
    public void Security_RenderedUnit_ExposureIsAtMostTheThreshold_AndTheCoreProtectionsHold()
    {
        string unit = Render();

        (int code, string stdout, string stderr) = SystemdAnalyze.Run("security", "--offline=yes", "--no-pager", unit);

        output.WriteLine(stdout + stderr);
        Assert.Equal(0, code);
        Match overall = Regex.Match(stdout, @"Overall exposure level for ipoe-agent\.service: (\d+\.\d)");
        Assert.True(overall.Success, "no overall exposure line in:\n" + stdout);
        double exposure = double.Parse(overall.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(exposure <= MaxExposure, $"exposure {exposure} is above {MaxExposure}");
        foreach (string check in MustPass)
        {
            Assert.True(stdout.Split('\n').Any(l => l.StartsWith("✓ " + check, StringComparison.Ordinal)), $"{check} does not pass:\n{stdout}");
        }
    }

    [Fact]
    public void Template_RendersBothPlaceholders_AndKeepsTheDirectivesTheAgentReliesOn()
    {
        string text = File.ReadAllText(Render());

        Assert.DoesNotContain("@", text.Replace("@system-service", "").Replace("@privileged", "").Replace("@resources", ""), StringComparison.Ordinal);
        Assert.Contains($"ExecStart={Path.Combine(_dir, "ipoe-agent")} --document /etc/ipoe/router.yaml\n", text);
        foreach (string line in (string[])["Type=notify\n", "NotifyAccess=main\n", "WatchdogSec=30s\n", "ExecReload=/bin/kill -HUP $MAINPID\n",
            "RuntimeDirectoryPreserve=yes\n", "StateDirectory=ipoe\n", "ReadWritePaths=/proc/sys/net\n", "WantedBy=multi-user.target\n",
            "DevicePolicy=closed\n", "DeviceAllow=/dev/net/tun rw\n", "Environment=DOTNET_GCgen0size=400000\n"]) // the user-space B4 opens /dev/net/tun; every other device stays closed
        {
            Assert.Contains(line, text);
        }
    }

    [Fact]
    public void TheLab_StartsTheAgentWithTheUnitsRuntimeSettings()
    {
        // RouterLab runs the agent as installed: every DOTNET_ variable of the unit, and no other.
        var unit = File.ReadLines(TemplatePath).Where(l => l.StartsWith("Environment=DOTNET_", StringComparison.Ordinal))
            .SelectMany(l => l["Environment=".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
        Assert.Equal(unit.OrderBy(kv => kv.Key), RouterLab.UnitEnvironment.OrderBy(kv => kv.Key));
    }

    [Theory]
    [InlineData("etc/ipoe/router.yaml")]
    [InlineData("/etc/ipoe/my router.yaml")]
    [InlineData("/etc/ipoe/%n.yaml")]
    [InlineData("/etc/ipoe/$HOME.yaml")]
    [InlineData("/etc/ipoe/../shadow")]
    [InlineData("/etc/ipoe/\"x\".yaml")]
    public void Render_PathSystemdWouldReadOtherwise_IsRefusedWithInvalidParameter(string document)
    {
        string template = File.ReadAllText(TemplatePath);
        var e = Assert.Throws<IpoeException>(() => AgentUnit.Render(template, "/usr/local/sbin/ipoe-agent", document));
        Assert.Equal(EngineErrorIds.InvalidParameter, e.ErrorId);
    }

    private static string TemplatePath => Path.Combine(Checkout.Root, "packaging", "systemd", "ipoe-agent.service");

    /// <summary>Renders the template into the temporary directory, beside a real executable standing in for the agent.</summary>
    private string Render()
    {
        string agent = Path.Combine(_dir, "ipoe-agent");
        File.Copy("/bin/true", agent);
        File.SetUnixFileMode(agent, (UnixFileMode)0b111_101_101);
        string unit = Path.Combine(_dir, AgentLayout.UnitName);
        File.WriteAllText(unit, AgentUnit.Render(File.ReadAllText(TemplatePath), agent, AgentLayout.DefaultDocument));
        return unit;
    }

    private static bool IsAboutAnotherUnitFile(string line) =>
        Regex.IsMatch(line, @"^/(etc|lib|usr|run)/\S+\.(service|target|socket|mount|path|timer|slice|device|swap|automount|scope)(:\d+)?:")
        && !line.Contains(AgentLayout.UnitName, StringComparison.Ordinal);
}
