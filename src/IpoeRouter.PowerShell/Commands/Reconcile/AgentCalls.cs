using IpoeRouter.Engine.Kernel;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>For cmdlets that are not <see cref="KernelCmdlet"/>s (Confirm-, Undo-IpoeReconcile): the agent serving a router, and calls to it.</summary>
internal static class AgentCalls
{
    /// <summary>The agent serving the host's namespace or <paramref name="namespaceName"/>, with its pid; null when none does.</summary>
    public static (AgentClient Client, int Pid)? Serving(IpoeCmdlet cmdlet, string? namespaceName, int timeoutSeconds = 60)
    {
        try
        {
            return AgentLookup.For(namespaceName) is { } agent
                ? (new AgentClient(agent.SocketPath, TimeSpan.FromSeconds(timeoutSeconds)), agent.Pid)
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

    /// <summary>Writes what the agent did with each apply asked for; one it does not hold is a ConfirmationNotFound error.</summary>
    public static void WriteApplies(ApplyIdsResult result, int pid, Action<object> write, Action<IpoeException> error)
    {
        foreach (PendingApply apply in result.Applies)
        {
            if (apply.State == "NotFound")
            {
                error(new IpoeException(Engine.EngineErrorIds.ConfirmationNotFound, ErrorKind.ObjectNotFound,
                    $"ipoe-agent (pid {pid}) holds no apply {(apply.Id.Length > 0 ? apply.Id + " " : string.Empty)}waiting for confirmation: it was confirmed already, or it went back when its time ran out.", apply.Id));
                continue;
            }

            write(apply);
        }
    }
}
