using System.Management.Automation;
using IpoeRouter.Engine.Installation;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>
/// Installs ipoe-agent as a systemd service. It copies the agent shipped with the module to
/// /usr/local/sbin/ipoe-agent (mode 0755), writes /etc/systemd/system/ipoe-agent.service (mode
/// 0644, sandboxed: see about_IpoeRouter) naming the document, runs 'systemctl daemon-reload' and
/// 'systemctl enable ipoe-agent.service', and with -Start 'systemctl restart ipoe-agent.service'.
/// Installing the same files again changes nothing; different ones are replaced only with -Force.
/// Needs root, and systemd as the init system unless -Root names an image directory (then the
/// unit is enabled offline with 'systemctl --root'); without systemd it refuses before writing
/// anything (SystemdUnavailable).
/// </summary>
/// <example>
/// <code>Install-IpoeAgent -Start</code>
/// <para>Needs root.</para>
/// <para>Installs the agent for /etc/ipoe/router.yaml, enables it at boot and starts it now.</para>
/// </example>
/// <example>
/// <code>Install-IpoeAgent -Root /mnt/image -DocumentPath /etc/ipoe/router.yaml -WhatIf</code>
/// <para>Needs root.</para>
/// <para>Shows the files it would write into the image mounted at /mnt/image and the systemctl --root command it would run.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Install, "IpoeAgent", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(AgentInstallation))]
public sealed class InstallIpoeAgentCommand : AgentInstallCmdlet
{
    /// <summary>The router document the service runs (as the installed system sees it); default /etc/ipoe/router.yaml.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string DocumentPath { get; set; } = AgentLayout.DefaultDocument;

    /// <summary>Replace an installed agent binary or unit that differs from the module's.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Start (or restart) the service once it is installed; not with -Root.</summary>
    [Parameter]
    public SwitchParameter Start { get; set; }

    /// <summary>The directory of the module's agent and unit template (agent/ beside the module's assembly).</summary>
    public static string PackageDirectory => Path.Combine(Path.GetDirectoryName(typeof(InstallIpoeAgentCommand).Assembly.Location)!, "agent");

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        RequireRoot();
        AgentLayout layout = Layout();
        AgentInstallPlan plan = null!;
        try
        {
            AgentInstaller.RequireSystemd(layout);
            plan = AgentInstaller.PlanInstall(Path.Combine(PackageDirectory, "ipoe-agent"), ReadTemplate(), layout, DocumentPath, Force, Start);
        }
        catch (IpoeException e)
        {
            ThrowTerminating(e);
        }

        WarnAboutDocument(layout);
        if (plan.Steps.Count == 0)
        {
            WriteVerbose($"ipoe-agent is installed and enabled as it would be: {layout.BinaryPath}, {layout.UnitPath}. Nothing to do.");
        }

        (List<string> steps, bool applied) = Carry(plan);
        if (PassThru)
        {
            string result = plan.State switch
            {
                AgentInstallState.NotInstalled => "Installed",
                AgentInstallState.Unchanged => "Unchanged",
                _ => "Updated",
            };
            WriteObject(new AgentInstallation(result, applied, layout.BinaryPath, layout.UnitPath, DocumentPath, layout.Root,
                LinkOrFileExists(layout.WantsLinkPath), applied && Start, steps));
        }
    }

    private static string ReadTemplate()
    {
        string template = Path.Combine(PackageDirectory, "ipoe-agent.service");
        try
        {
            return File.ReadAllText(template);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IpoeException(Engine.EngineErrorIds.AgentPackageIncomplete, ErrorKind.ResourceUnavailable,
                $"The unit template {template} cannot be read ({e.Message}): build the module with 'build.ps1 Build', or reinstall it.", template, e);
        }
    }

    private void WarnAboutDocument(AgentLayout layout)
    {
        // The unit has ProtectHome=yes: a document there (or linked to there) is out of the service's sight.
        string here = layout.OnThisMachine(DocumentPath);
        string seen = DocumentPath;
        try
        {
            if (File.ResolveLinkTarget(here, returnFinalTarget: layout.Root is null) is { } target)
            {
                // In an image an absolute link target names the image's own file.
                string root = layout.Root?.TrimEnd('/') ?? string.Empty;
                seen = root.Length > 0 && target.FullName.StartsWith(root + "/", StringComparison.Ordinal) ? target.FullName[root.Length..] : target.FullName;
            }
        }
        catch (IOException)
        {
            // a dangling or looping link: the warning below says the document is missing
        }

        if (seen.StartsWith("/home/", StringComparison.Ordinal) || seen.StartsWith("/root/", StringComparison.Ordinal) || seen.StartsWith("/run/user/", StringComparison.Ordinal))
        {
            WriteWarning($"The document {DocumentPath} is (or links to) {seen}, which the service cannot read: the unit sets ProtectHome=yes. Keep the document under /etc (or /srv, /var/lib).");
        }
        else if (!File.Exists(here))
        {
            WriteWarning($"The document {here} does not exist yet: the service will not start until it does (Set-IpoeInterface and the other Set- cmdlets create it).");
        }
    }
}
