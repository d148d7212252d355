using System.Management.Automation;
using IpoeRouter.Engine;
using IpoeRouter.Engine.Kernel;
using IpoeRouter.Engine.Planning;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>
/// A cmdlet that acts on a router: root only, the host namespace unless <c>-Namespace</c> names one.
/// When an ipoe-agent serves that router, the cmdlet acts through the agent's control socket (its plan
/// has the agent's runtime facts; its deadlines outlive this session); only without one does it act on
/// the kernel directly. Never both.
/// </summary>
public abstract class KernelCmdlet : DocumentCmdlet
{
    /// <summary>A network namespace made with <c>ip netns add</c> to act on instead of the host's (labs and tests).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Namespace { get; set; }

    /// <summary>How long to wait for the agent's answer, in seconds (a reconcile answers when its pass has ended).</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int AgentTimeoutSec { get; set; } = 60;

    /// <summary>The agent serving the router this cmdlet acts on, or null when none does (then act directly).</summary>
    protected AgentClient? ServingAgent(out int pid)
    {
        RequireRoot();
        pid = 0;
        if (AgentCalls.Serving(this, Namespace, AgentTimeoutSec) is not { } agent)
        {
            return null;
        }

        pid = agent.Pid;
        WriteVerbose($"Through ipoe-agent, pid {agent.Pid} (control socket {agent.Client.SocketPath}).");
        return agent.Client;
    }

    /// <summary>Runs a call to the agent; a failure to reach it ends the cmdlet (never falls back to a direct apply).</summary>
    protected T CallAgent<T>(Func<CancellationToken, Task<T>> call, int pid) => AgentCalls.Call(this, call, pid);

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
