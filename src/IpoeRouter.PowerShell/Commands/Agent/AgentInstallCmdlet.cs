using System.Management.Automation;
using IpoeRouter.Engine.Installation;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>
/// The base of Install-IpoeAgent and Uninstall-IpoeAgent: the -Root and -PassThru parameters, and
/// carrying out a plan step by step, each through ShouldProcess (so -WhatIf names every file and
/// every systemctl command and changes nothing).
/// </summary>
public abstract class AgentInstallCmdlet : IpoeCmdlet
{
    /// <summary>
    /// An alternate root directory (an image being built, or a test directory): the files go below it,
    /// the unit is enabled offline with 'systemctl --root=ROOT enable', and no running systemd is needed.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Root { get; set; }

    /// <summary>Output an object describing what was done (also under -WhatIf, describing what would be).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Where the agent is (or goes): this machine, or below -Root.</summary>
    protected AgentLayout Layout() => new(Root is null ? null : Path.TrimEndingDirectorySeparator(GetUnresolvedProviderPathFromPSPath(Root)) is { Length: > 0 } r ? r : "/");

    /// <summary>
    /// Carries out <paramref name="plan"/>, asking ShouldProcess for each step; a failing step ends the
    /// cmdlet (the steps before it stay done). Returns the steps shown or done and whether all were done.
    /// </summary>
    protected (List<string> Steps, bool Applied) Carry(AgentInstallPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var steps = new List<string>();
        bool applied = true;
        foreach (InstallStep step in plan.Steps)
        {
            steps.Add($"{step.Target}: {step.Action}");
            if (!ShouldProcess(step.Target, step.Action))
            {
                applied = false;
                continue;
            }

            try
            {
                string output = AgentInstaller.Execute(step);
                if (output.Length > 0)
                {
                    WriteVerbose(output);
                }
            }
            catch (IpoeException e)
            {
                ThrowTerminating(e);
            }
        }

        return (steps, applied);
    }

    /// <summary>True when <paramref name="path"/> is a symlink or a file (a symlink into an image may point at nothing here).</summary>
    protected static bool LinkOrFileExists(string path) => new FileInfo(path) is { } info && (info.LinkTarget is not null || info.Exists);
}
