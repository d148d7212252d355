using System.Management.Automation;
using IpoeRouter.Engine.Installation;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>
/// Removes the ipoe-agent service. It runs 'systemctl disable' and 'systemctl stop ipoe-agent.service',
/// removes /etc/systemd/system/ipoe-agent.service and /usr/local/sbin/ipoe-agent, then 'systemctl
/// daemon-reload'. With -Root, from an image directory (disabled offline, nothing stopped). The
/// document, the leases in /var/lib/ipoe and /run/ipoe stay. Stopping the agent stops the router's
/// DHCP, DNS and Router Advertisements: it asks first unless -Confirm:$false.
/// </summary>
/// <example>
/// <code>Uninstall-IpoeAgent -Root /mnt/image -Confirm:$false</code>
/// <para>Needs root.</para>
/// <para>Disables and removes the agent's unit and binary from the image mounted at /mnt/image.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Uninstall, "IpoeAgent", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(AgentInstallation))]
public sealed class UninstallIpoeAgentCommand : AgentInstallCmdlet
{
    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        RequireRoot();
        AgentLayout layout = Layout();
        AgentInstallPlan plan;
        try
        {
            AgentInstaller.RequireSystemd(layout);
            plan = AgentInstaller.PlanUninstall(layout);
        }
        catch (IpoeException e)
        {
            WriteError(e);
            return;
        }

        (List<string> steps, bool applied) = Carry(plan);
        if (PassThru)
        {
            WriteObject(new AgentInstallation("Removed", applied, layout.BinaryPath, layout.UnitPath, null, layout.Root,
                LinkOrFileExists(layout.WantsLinkPath), Started: false, steps));
        }
    }
}
