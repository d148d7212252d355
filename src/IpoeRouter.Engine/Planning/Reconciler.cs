using IpoeRouter.Engine.Kernel;
using IpoeRouter.Model;

namespace IpoeRouter.Engine.Planning;

/// <summary>How a reconcile ended: a closed set, no ambiguous booleans.</summary>
public abstract record ReconcileOutcome
{
    /// <summary>Everything declared is in place.</summary>
    public sealed record Converged : ReconcileOutcome;

    /// <summary>Applied what could be; items wait for bindings (no RA, no prefix, a link missing). Try again after <see cref="After"/>.</summary>
    public sealed record RetryAfter(TimeSpan After) : ReconcileOutcome;

    /// <summary>An item failed; everything applied in that pass was rolled back.</summary>
    public sealed record Failed(Exception Error, bool Retryable) : ReconcileOutcome;
}

/// <summary>The result of a reconcile: what was applied, what is still pending, how it ended.</summary>
public sealed record ReconcileResult(ReconcileOutcome Outcome, IReadOnlyList<ResourceDiff> Applied, Plan Remaining)
{
    /// <summary>The failed pass's report, when <see cref="Outcome"/> is Failed.</summary>
    public ApplyReport? Failure { get; init; }

    /// <summary>The undo steps of everything applied (for a confirmed apply).</summary>
    public IReadOnlyList<KernelOperation> Journal { get; init; } = [];
}

/// <summary>
/// Observe → plan → apply, level-based: each pass looks at the kernel afresh, so a second pass picks
/// up what the first made possible (a route through a tunnel created in the first pass). The same
/// code serves Invoke-IpoeReconcile and the agent.
/// </summary>
public sealed class Reconciler(IKernel kernel)
{
    /// <summary>How long to wait before trying pending items again.</summary>
    public static TimeSpan PendingRetry { get; } = TimeSpan.FromSeconds(30);

    /// <summary>What the last plan was made from: after a reconcile, the kernel as that reconcile left it (it plans once more after applying).</summary>
    public KernelSnapshot? LastObserved { get; private set; }

    /// <summary>The plan for <paramref name="effective"/> against the kernel as it is now.</summary>
    public Plan Plan(RouterDocument effective, RuntimeFacts facts)
    {
        KernelSnapshot observed = kernel.Observe(Planner.SysctlPathsFor(effective));
        LastObserved = observed;
        return Planner.Build(effective, facts, observed);
    }

    /// <summary>Converges the kernel to <paramref name="effective"/>; <paramref name="approve"/> may decline items (ShouldProcess).</summary>
    /// <param name="effective">The document, defaults filled in.</param>
    /// <param name="facts">What the runtime knows (delegated prefixes, leases).</param>
    /// <param name="approve">Asked once per item of each pass, before that pass changes anything; a declined item is left out.</param>
    /// <param name="maxPasses">How many observe-plan-apply passes at most.</param>
    /// <param name="journalFirst">
    /// Journal first: called before each pass makes its first change, with the undo steps that take
    /// back everything this reconcile will have changed once the pass is done (the pass's approved
    /// items' inverses, last first, then the earlier passes'). When it throws, that pass changes
    /// nothing (and what earlier passes applied is undone) and the exception goes to the caller.
    /// </param>
    public ReconcileResult Reconcile(RouterDocument effective, RuntimeFacts facts, Func<ResourceDiff, bool>? approve = null, int maxPasses = 3,
        Action<IReadOnlyList<KernelOperation>>? journalFirst = null)
    {
        var applied = new List<ResourceDiff>();
        var journal = new List<KernelOperation>();
        Plan plan = Plan(effective, facts);
        for (int pass = 0; pass < maxPasses && !plan.IsEmpty; pass++)
        {
            var approved = new HashSet<ResourceDiff>(plan.Actionable.Where(i => approve is null || approve(i)), ReferenceEqualityComparer.Instance);
            if (approved.Count == 0)
            {
                break; // everything left was declined
            }

            if (journalFirst is not null)
            {
                var undo = plan.Actionable.Where(approved.Contains).Reverse().SelectMany(i => i.Inverse).Concat(journal).ToList();
                try
                {
                    journalFirst(undo);
                }
                catch
                {
                    Applier.Undo(kernel, journal); // an earlier pass's changes must not stay unjournaled either
                    throw;
                }
            }

            ApplyReport report = Applier.Apply(plan, kernel, approved.Contains);
            if (!report.Succeeded)
            {
                // Earlier passes were complete and consistent; undo them too, so the kernel is as it was.
                var rollbackFailures = report.RollbackFailures.Concat(Applier.Undo(kernel, journal)).ToList();
                return new ReconcileResult(new ReconcileOutcome.Failed(report.Error!, Retryable: report.Error is not Linux.Rtnl.MissingKernelModuleException), applied, plan)
                {
                    Failure = report with { RollbackFailures = rollbackFailures },
                };
            }

            if (report.Applied.Count == 0)
            {
                break; // everything left was declined
            }

            applied.AddRange(report.Applied);
            journal.InsertRange(0, report.Journal);
            try
            {
                plan = Plan(effective, facts);
            }
            catch (Exception e) when (Applier.IsKernelFailure(e))
            {
                // Observing again failed (an interrupted dump while addresses settle): undo this
                // reconcile rather than leave it half done and unjournaled.
                return new ReconcileResult(new ReconcileOutcome.Failed(e, Retryable: true), applied, plan)
                {
                    Failure = new ApplyReport(applied, null, e, Applier.Undo(kernel, journal)),
                };
            }
        }

        ReconcileOutcome outcome = plan.Pending.Any() || !plan.IsEmpty ? new ReconcileOutcome.RetryAfter(PendingRetry) : new ReconcileOutcome.Converged();
        return new ReconcileResult(outcome, applied, plan) { Journal = journal };
    }
}
