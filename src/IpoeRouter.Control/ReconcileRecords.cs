using System.Text.Json.Serialization;

namespace IpoeRouter.Control;

/// <summary>The plan the agent would apply now: its document against the kernel, with its runtime facts (delegations, WAN leases …).</summary>
/// <param name="Items">Every item, in order, including those already as declared.</param>
/// <param name="DocumentPath">The document it planned.</param>
/// <param name="AgentPid">The agent that planned it.</param>
public sealed record PlanResult(IReadOnlyList<PlanItem> Items, string DocumentPath, int AgentPid);

/// <summary>What <c>reconcile</c> is asked to do.</summary>
/// <param name="ConfirmWithinSeconds">Roll the apply back unless confirmed within this many seconds (null: keep it).</param>
public sealed record ReconcileRequest(int? ConfirmWithinSeconds);

/// <summary>What a reconcile did: the outcome, the items applied, and the items still pending with their reasons.</summary>
/// <param name="Outcome">Converged, Pending, Failed or Held.</param>
/// <param name="Applied">The items applied.</param>
/// <param name="Pending">The items waiting for a binding.</param>
/// <param name="DocumentPath">The document reconciled.</param>
/// <param name="Namespace">The namespace acted on (direct mode with -Namespace).</param>
public sealed record ReconcileReport(string Outcome, IReadOnlyList<PlanItem> Applied, IReadOnlyList<PlanItem> Pending, string DocumentPath, string? Namespace)
{
    /// <summary>Why it failed, when it did (what failed, and whether the rollback undid everything).</summary>
    public string? Error { get; init; }

    /// <summary>With -ConfirmWithin: the confirmation to give before <see cref="Deadline"/>.</summary>
    public string? ConfirmationId { get; init; }

    /// <summary>With -ConfirmWithin: when the apply rolls back unless confirmed.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>Direct mode with -ConfirmWithin: the process that rolls back at the deadline.</summary>
    public int? WatcherPid { get; init; }

    /// <summary>Through the agent: its pid (the agent holds the deadline).</summary>
    public int? AgentPid { get; init; }
}

/// <summary>An apply that waits for confirmation.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Deadline">When it rolls back unless confirmed.</param>
/// <param name="Changes">How many undo steps it holds.</param>
public sealed record PendingApply(string Id, DateTimeOffset Deadline, int Changes)
{
    /// <summary>What became of it: Waiting, Confirmed, RolledBack, or NotFound.</summary>
    public string State { get; init; } = "Waiting";

    /// <summary>Undo steps that failed when it was rolled back.</summary>
    public IReadOnlyList<string> RollbackFailures { get; init; } = [];
}

/// <summary>Which pending applies to confirm or roll back (all when null).</summary>
/// <param name="Ids">The ids, or null for every one waiting.</param>
public sealed record ApplyIdsRequest(IReadOnlyList<string>? Ids);

/// <summary>What became of each pending apply asked for.</summary>
/// <param name="Applies">One per id asked for (or per apply that waited, when none were named).</param>
public sealed record ApplyIdsResult(IReadOnlyList<PendingApply> Applies);

/// <summary>What a reload did.</summary>
/// <param name="Accepted">True when the document on disk was valid and is now the running one (or was already).</param>
/// <param name="DocumentPath">The document.</param>
/// <param name="Errors">Why it was refused: the errors with file:line:col.</param>
public sealed record ReloadResult(bool Accepted, string DocumentPath, IReadOnlyList<string> Errors);

/// <summary>The control socket's JSON (source-generated: the agent is NativeAOT).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RouterStatus))]
[JsonSerializable(typeof(PlanResult))]
[JsonSerializable(typeof(ReconcileRequest))]
[JsonSerializable(typeof(ReconcileReport))]
[JsonSerializable(typeof(ApplyIdsRequest))]
[JsonSerializable(typeof(ApplyIdsResult))]
[JsonSerializable(typeof(ReloadResult))]
[JsonSerializable(typeof(AgentRegistration))]
[JsonSerializable(typeof(JsonRpcRequest))]
[JsonSerializable(typeof(JsonRpcResponse))]
public sealed partial class ControlJson : JsonSerializerContext;
