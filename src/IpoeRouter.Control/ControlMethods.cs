namespace IpoeRouter.Control;

/// <summary>The methods the agent's control socket answers (JSON-RPC 2.0, one message per line).</summary>
public static class ControlMethods
{
    /// <summary>The router as the agent sees it: <see cref="RouterStatus"/>.</summary>
    public const string GetStatus = "getStatus";

    /// <summary>The plan for the running document with the agent's runtime facts: <see cref="PlanResult"/>.</summary>
    public const string GetPlan = "getPlan";

    /// <summary>One pass now (<see cref="ReconcileRequest"/>), answered when it has ended: <see cref="ReconcileReport"/>.</summary>
    public const string Reconcile = "reconcile";

    /// <summary>Keeps an apply that waits for confirmation (<see cref="ApplyIdsRequest"/>): <see cref="ApplyIdsResult"/>.</summary>
    public const string Confirm = "confirm";

    /// <summary>Rolls back an apply that waits for confirmation now (<see cref="ApplyIdsRequest"/>): <see cref="ApplyIdsResult"/>.</summary>
    public const string Undo = "undo";

    /// <summary>Reads the document again (as SIGHUP does) and answers whether it was taken: <see cref="ReloadResult"/>.</summary>
    public const string Reload = "reload";

    /// <summary>Every method, for the "method not found" answer.</summary>
    public static IReadOnlyList<string> All { get; } = [GetStatus, GetPlan, Reconcile, Confirm, Undo, Reload];
}

/// <summary>The stable error ids of the control contract.</summary>
public static class ControlErrorIds
{
    /// <summary>No agent answers on the control socket, or the caller may not open it.</summary>
    public const string AgentUnavailable = nameof(AgentUnavailable);

    /// <summary>An agent serves this router, so a direct apply (or a second engine) is refused.</summary>
    public const string AgentRunning = nameof(AgentRunning);

    /// <summary>The agent refused the caller: not root.</summary>
    public const string AgentPermissionDenied = nameof(AgentPermissionDenied);
}
