using System.Management.Automation;
using IpoeRouter.Engine;
using IpoeRouter.Engine.Kernel;
using IpoeRouter.Engine.Planning;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>
/// Converges the kernel to the document: plans, asks ShouldProcess for each item (so -WhatIf shows
/// the plan and changes nothing), applies in dependency order, and on a failure rolls back what it
/// applied and reports what failed and why. A plan that deletes anything asks once more unless -Force.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "IpoeReconcile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ReconcileSummary))]
public sealed class InvokeIpoeReconcileCommand : KernelCmdlet
{
    /// <summary>Apply a plan that deletes objects without asking.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var document = LoadDocument();
        using NetlinkKernel kernel = OpenKernel();
        var reconciler = new Reconciler(kernel);
        Plan plan = PlanFor(reconciler, document.Loaded.Effective);
        foreach (ResourceDiff pending in plan.Pending)
        {
            WriteVerbose($"Pending {pending.Kind.ToString().ToLowerInvariant()} {pending.Key}: {pending.Reason}");
        }

        bool whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? w) && w is SwitchParameter { IsPresent: true };
        if (whatIf)
        {
            foreach (ResourceDiff item in plan.Actionable)
            {
                ShouldProcess($"{item.Kind.ToString().ToLowerInvariant()} {item.Key}", item.Summary);
            }

            return;
        }

        var deletions = plan.Actionable.Where(i => i.Outcome == DiffOutcome.Delete).ToList();
        if (deletions.Count > 0 && !Force
            && !ShouldContinue($"The plan removes {deletions.Count} object(s):{Environment.NewLine}{string.Join(Environment.NewLine, deletions.Select(d => "  " + d.Summary))}", "Remove objects from the kernel?"))
        {
            return;
        }

        ReconcileResult result = reconciler.Reconcile(document.Loaded.Effective, RuntimeFacts.None,
            item => ShouldProcess($"{item.Kind.ToString().ToLowerInvariant()} {item.Key}", item.Summary));
        if (result.Outcome is ReconcileOutcome.Failed failed)
        {
            string rollback = result.Failure!.RollbackFailures.Count == 0
                ? "Everything applied before it was rolled back."
                : "The rollback could not undo: " + string.Join("; ", result.Failure.RollbackFailures);
            var error = new IpoeException(EngineErrorIds.ReconcileFailed, ErrorKind.InvalidOperation,
                $"{result.Failure.Failed!.Summary} failed: {failed.Error.Message} {rollback}", result.Failure.Failed.Key, failed.Error);
            WriteError(error);
        }

        WriteObject(new ReconcileSummary(result.Outcome switch
        {
            ReconcileOutcome.Converged => "Converged",
            ReconcileOutcome.RetryAfter => "Pending",
            _ => "Failed",
        }, result.Applied, result.Remaining.Pending.ToList(), DocumentFile, Namespace));
    }
}

/// <summary>What Invoke-IpoeReconcile did: the outcome, the items applied, and the items still pending with their reasons.</summary>
public sealed record ReconcileSummary(string Outcome, IReadOnlyList<ResourceDiff> Applied, IReadOnlyList<ResourceDiff> Pending, string DocumentPath, string? Namespace);
