using IpoeRouter.Engine.Kernel;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>For cmdlets that are not <see cref="KernelCmdlet"/>s (Confirm-, Undo-IpoeReconcile): the agent serving a router, and calls to it.</summary>
internal static class AgentCalls
{
    /// <summary>The agent serving the host's namespace or <paramref name="namespaceName"/>, with its pid; null when none does.</summary>
    public static (AgentClient Client, int Pid)? Serving(IpoeCmdlet cmdlet, string? namespaceName)
    {
        try
        {
            return AgentLookup.For(namespaceName) is { } agent
                ? (new AgentClient(agent.SocketPath, TimeSpan.FromSeconds(60)), agent.Pid)
                : null;
        }
        catch (IpoeException e)
        {
            cmdlet.Terminate(e);
            throw;
        }
    }

    /// <summary>Runs a call; failing to reach the agent ends the cmdlet with <see cref="ControlErrorIds.AgentRunning"/>.</summary>
    public static T Call<T>(IpoeCmdlet cmdlet, Func<CancellationToken, Task<T>> call, int pid)
    {
        try
        {
            return call(cmdlet.Cancellation).GetAwaiter().GetResult();
        }
        catch (IpoeException e) when (e.ErrorId == ControlErrorIds.AgentUnavailable)
        {
            cmdlet.Terminate(new IpoeException(ControlErrorIds.AgentRunning, ErrorKind.ResourceUnavailable,
                $"ipoe-agent (pid {pid}) serves this router but did not answer ({e.Message}); not acting beside it.", pid, e));
            throw;
        }
        catch (IpoeException e)
        {
            cmdlet.Terminate(e);
            throw;
        }
    }
}
