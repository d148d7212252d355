using System.Management.Automation;
using IpoeRouter.Engine.Kernel;
using IpoeRouter.Engine.Planning;

namespace IpoeRouter.Commands;

/// <summary>
/// Gets the plan: what Invoke-IpoeReconcile would change, in order, each item with before, after
/// and a reason; and what is pending and why. Changes nothing.
/// </summary>
[Cmdlet(VerbsCommon.Get, "IpoePlan")]
[OutputType(typeof(ResourceDiff))]
public sealed class GetIpoePlanCommand : KernelCmdlet
{
    /// <summary>Also list the items that are already as declared.</summary>
    [Parameter]
    public SwitchParameter All { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var document = LoadDocument();
        using NetlinkKernel kernel = OpenKernel();
        Plan plan = PlanFor(new Reconciler(kernel), document.Loaded.Effective);
        foreach (ResourceDiff item in plan.Items.Where(i => All || i.Outcome != DiffOutcome.NoChange))
        {
            WriteObject(item);
        }
    }
}
