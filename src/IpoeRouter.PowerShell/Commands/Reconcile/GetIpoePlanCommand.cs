using System.Management.Automation;
using IpoeRouter.Engine.Kernel;
using IpoeRouter.Engine.Planning;

namespace IpoeRouter.Commands;

/// <summary>
/// Gets the plan: what Invoke-IpoeReconcile would change, in order, each item with before, after
/// and a reason; and what is pending and why. Changes nothing. When an ipoe-agent serves the router,
/// the plan is the agent's: its running document with its runtime facts (the delegated prefix, the
/// WAN's DHCPv4 lease); -Path is not used then.
/// </summary>
/// <example>
/// <code>Get-IpoePlan | Format-Table</code>
/// <para>Needs root: it reads the kernel.</para>
/// <para>Shows what a reconcile would create, change or delete, and what is pending and why.</para>
/// </example>
/// <example>
/// <code>Get-IpoePlan -Namespace lab -All</code>
/// <para>Needs root: it reads the kernel.</para>
/// <para>Shows the plan for the network namespace lab, unchanged items included.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "IpoePlan")]
[OutputType(typeof(PlanItem))]
public sealed class GetIpoePlanCommand : KernelCmdlet
{
    /// <summary>Also list the items that are already as declared.</summary>
    [Parameter]
    public SwitchParameter All { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        IEnumerable<PlanItem> items;
        if (ServingAgent(out int pid) is { } agent)
        {
            items = CallAgent(agent.GetPlanAsync, pid).Items;
        }
        else
        {
            var document = LoadDocument();
            using NetlinkKernel kernel = OpenKernel();
            items = [.. PlanFor(new Reconciler(kernel), document.Loaded.Effective).Items.Select(i => i.ToPlanItem())];
        }

        foreach (PlanItem item in items.Where(i => All || i.Outcome != DiffOutcome.NoChange))
        {
            WriteObject(item);
        }
    }
}
