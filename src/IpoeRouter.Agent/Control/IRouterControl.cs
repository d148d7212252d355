using IpoeRouter.Control;

namespace IpoeRouter.Agent.Control;

/// <summary>What the control socket can ask of a running router (the host implements it; tests give their own).</summary>
internal interface IRouterControl
{
    /// <summary>The router as it stands.</summary>
    RouterStatus Status();

    /// <summary>The plan for the running document with the agent's facts.</summary>
    PlanResult Plan();

    /// <summary>One pass now; with a deadline, the running version goes on probation first.</summary>
    Task<ReconcileReport> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken);

    /// <summary>Keeps the apply on probation.</summary>
    ApplyIdsResult Confirm(IReadOnlyList<string>? ids);

    /// <summary>Goes back from the apply on probation now.</summary>
    Task<ApplyIdsResult> UndoAsync(IReadOnlyList<string>? ids, CancellationToken cancellationToken);

    /// <summary>Reads the document again.</summary>
    Task<ReloadResult> ReloadAsync(CancellationToken cancellationToken);
}
