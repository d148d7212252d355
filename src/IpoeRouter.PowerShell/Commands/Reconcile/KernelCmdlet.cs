using System.Management.Automation;
using IpoeRouter.Engine;
using IpoeRouter.Engine.Kernel;
using IpoeRouter.Engine.Planning;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>A cmdlet that reads the document and talks to the kernel: root only, host namespace unless <c>-Namespace</c> names one.</summary>
public abstract class KernelCmdlet : DocumentCmdlet
{
    /// <summary>A network namespace made with <c>ip netns add</c> to act on instead of the host's (labs and tests).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Namespace { get; set; }

    /// <summary>Opens the kernel; ends the cmdlet when the caller is not root or the namespace does not exist.</summary>
    protected NetlinkKernel OpenKernel()
    {
        RequireRoot();
        try
        {
            return NetlinkKernel.Open(Namespace);
        }
        catch (IpoeException e)
        {
            ThrowTerminating(e);
            throw;
        }
    }

    /// <summary>The plan for the document against the kernel.</summary>
    protected Plan PlanFor(Reconciler reconciler, RouterDocument effective) => reconciler.Plan(effective, RuntimeFacts.None);
}
