using Xunit;

namespace IpoeRouter.Agent.Tests.Systemd;

/// <summary>
/// A test that runs <c>systemd-analyze</c> on a unit file. It skips, with the reason shown, when
/// systemd-analyze is not installed (build.ps1 installs the systemd package when run as root);
/// it never passes without running. PID 1 need not be systemd: verify and security --offline read files only.
/// </summary>
public sealed class SystemdAnalyzeFactAttribute : FactAttribute
{
    public SystemdAnalyzeFactAttribute()
    {
        if (SystemdAnalyze.Path is null)
        {
            Skip = "needs systemd-analyze (apt-get install systemd) to check the agent's unit";
        }
    }
}
