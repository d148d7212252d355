using System.Management.Automation;
using IpoeRouter.Engine;
using IpoeRouter.Engine.Journal;
using IpoeRouter.Engine.Kernel;
using IpoeRouter.Engine.Planning;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>
/// Converges the kernel to the document: plans, asks ShouldProcess for each item (so -WhatIf shows
/// the plan and changes nothing), applies in dependency order, and on a failure rolls back what it
/// applied and reports what failed and why. A plan that deletes anything asks once more unless -Force.
/// With -ConfirmWithin (no agent) the undo journal is written and its watcher started before the
/// first change (<see cref="DirectConfirmation"/>), and withdrawn when the apply fails or changes nothing.
/// When an ipoe-agent serves the router, the agent does it: it reads the document again and runs one
/// pass with its runtime facts; with -ConfirmWithin it puts the running version on probation and goes
/// back to the version before it unless Confirm-IpoeReconcile comes in time (the agent keeps the
/// deadline, so it holds when this session dies).
/// </summary>
/// <example>
/// <code>Invoke-IpoeReconcile -WhatIf</code>
/// <para>Needs root: it reads the kernel.</para>
/// <para>Shows the plan item by item; nothing changes.</para>
/// </example>
/// <example>
/// <code>Invoke-IpoeReconcile -ConfirmWithin 120</code>
/// <para>Needs root: it reads the kernel.</para>
/// <para>Applies the document and rolls the change back by itself unless Confirm-IpoeReconcile runs within 120 seconds.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Invoke, "IpoeReconcile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ReconcileReport))]
public sealed class InvokeIpoeReconcileCommand : KernelCmdlet
{
    /// <summary>Apply a plan that deletes objects without asking.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>
    /// Roll the apply back by itself unless Confirm-IpoeReconcile runs within this many seconds:
    /// for remote work, where a change may cut the session it was made from.
    /// </summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int ConfirmWithin { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (ServingAgent(out int pid) is { } agent)
        {
            ThroughAgent(agent, pid);
            return;
        }

        var document = LoadDocument();
        if (PendingConfirmation.List() is { Count: > 0 } waiting && !MyInvocation.BoundParameters.ContainsKey("WhatIf"))
        {
            // A later rollback of the waiting apply would undo this one's changes too.
            ThrowTerminating(new IpoeException(EngineErrorIds.ConfirmationPending, ErrorKind.InvalidOperation,
                $"An apply waits for confirmation ({string.Join(", ", waiting)}): run Confirm-IpoeReconcile or Undo-IpoeReconcile first."));
        }

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

        if (Environment.GetEnvironmentVariable("SSH_CONNECTION") is { Length: > 0 } ssh && !IsBound(nameof(ConfirmWithin)) && !Force
            && plan.Actionable.Any(i => i.Kind == ResourceKind.Firewall))
        {
            // Over SSH a new firewall can cut this very session, and then nobody is left to undo it.
            ThrowTerminating(new IpoeException(EngineErrorIds.RemoteSessionAtRisk, ErrorKind.InvalidOperation,
                $"This session comes over SSH ({ssh.Split(' ')[0]}) and the plan changes the firewall. Apply with -ConfirmWithin <seconds> (rolled back unless confirmed from a new session), or -Force if you are sure the session survives."));
        }

        var deletions = plan.Actionable.Where(i => i.Outcome == DiffOutcome.Delete).ToList();
        if (deletions.Count > 0 && !Force
            && !ShouldContinue($"The plan removes {deletions.Count} object(s):{Environment.NewLine}{string.Join(Environment.NewLine, deletions.Select(d => "  " + d.Summary))}", "Remove objects from the kernel?"))
        {
            return;
        }

        // With -ConfirmWithin the way back is on disk, and its watcher running, before the first change.
        DirectConfirmation? confirmation = IsBound(nameof(ConfirmWithin))
            ? new DirectConfirmation(Namespace, ConfirmWithin, System.IO.Path.Combine(SessionState.PSVariable.GetValue("PSHOME")!.ToString()!, "pwsh.dll"),
                System.IO.Path.Combine(MyInvocation.MyCommand.Module.ModuleBase, "IpoeRouter.psd1"))
            : null;
        ReconcileResult result;
        try
        {
            result = reconciler.Reconcile(document.Loaded.Effective, RuntimeFacts.None,
                item => ShouldProcess($"{item.Kind.ToString().ToLowerInvariant()} {item.Key}", item.Summary), journalFirst: confirmation is null ? null : confirmation.JournalFirst);
        }
        catch (IpoeException e)
        {
            confirmation?.Withdraw();
            ThrowTerminating(e);
            throw;
        }

        if (result.Outcome is ReconcileOutcome.Failed failed)
        {
            string rollback = result.Failure!.RollbackFailures.Count == 0
                ? "Everything applied before it was rolled back."
                : "The rollback could not undo: " + string.Join("; ", result.Failure.RollbackFailures);
            string what = result.Failure.Failed?.Summary ?? "Observing the kernel after applying";
            var error = new IpoeException(EngineErrorIds.ReconcileFailed, ErrorKind.InvalidOperation,
                $"{what} failed: {failed.Error.Message} {rollback}", result.Failure.Failed?.Key, failed.Error);
            WriteError(error);
        }

        var summary = new ReconcileReport(result.Outcome switch
        {
            ReconcileOutcome.Converged => "Converged",
            ReconcileOutcome.RetryAfter => "Pending",
            _ => "Failed",
        }, [.. result.Applied.Select(a => a.ToPlanItem())], [.. result.Remaining.Pending.Select(p => p.ToPlanItem())], DocumentFile, Namespace);
        if (confirmation?.Pending is { } armed)
        {
            if (result.Applied.Count == 0 || result.Outcome is ReconcileOutcome.Failed)
            {
                confirmation.Withdraw(); // rolled back already, or nothing changed: nothing to wait for
            }
            else if (confirmation.Settle(result.Journal))
            {
                WriteWarning($"Applied. This rolls back by itself at {armed.Deadline.ToLocalTime():HH:mm:ss} unless 'Confirm-IpoeReconcile' runs before then (confirmation {armed.Id}).");
                summary = summary with { ConfirmationId = armed.Id, Deadline = armed.Deadline, WatcherPid = confirmation.WatcherPid };
            }
            else
            {
                WriteWarning($"Apply {armed.Id} reached its deadline while it was being applied and was rolled back by its watcher.");
            }
        }

        WriteObject(summary);
    }

    /// <summary>The agent's plan, the same questions as a direct apply, then one pass by the agent.</summary>
    private void ThroughAgent(AgentClient agent, int pid)
    {
        PlanResult plan = CallAgent(agent.GetPlanAsync, pid);
        var actionable = plan.Items.Where(i => i.IsActionable).ToList();
        foreach (PlanItem pending in plan.Items.Where(i => i.Outcome == DiffOutcome.Pending))
        {
            WriteVerbose($"Pending {pending.Kind.ToString().ToLowerInvariant()} {pending.Key}: {pending.Reason}");
        }

        bool whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? w) && w is SwitchParameter { IsPresent: true };
        if (whatIf)
        {
            foreach (PlanItem item in actionable)
            {
                ShouldProcess($"{item.Kind.ToString().ToLowerInvariant()} {item.Key} (through ipoe-agent, pid {pid})", item.Summary);
            }

            return;
        }

        if (Environment.GetEnvironmentVariable("SSH_CONNECTION") is { Length: > 0 } ssh && !IsBound(nameof(ConfirmWithin)) && !Force
            && actionable.Any(i => i.Kind == ResourceKind.Firewall))
        {
            ThrowTerminating(new IpoeException(EngineErrorIds.RemoteSessionAtRisk, ErrorKind.InvalidOperation,
                $"This session comes over SSH ({ssh.Split(' ')[0]}) and the plan changes the firewall. Apply with -ConfirmWithin <seconds> (rolled back unless confirmed from a new session), or -Force if you are sure the session survives."));
        }

        var deletions = actionable.Where(i => i.Outcome == DiffOutcome.Delete).ToList();
        if (deletions.Count > 0 && !Force
            && !ShouldContinue($"The plan removes {deletions.Count} object(s):{Environment.NewLine}{string.Join(Environment.NewLine, deletions.Select(d => "  " + d.Summary))}", "Remove objects from the kernel?"))
        {
            return;
        }

        if (!ShouldProcess($"the router served by ipoe-agent (pid {pid})", $"Reconcile {actionable.Count} change(s)"))
        {
            return;
        }

        ReconcileReport report = CallAgent(ct => agent.ReconcileAsync(new ReconcileRequest(IsBound(nameof(ConfirmWithin)) ? ConfirmWithin : null), ct), pid);
        if (report.Outcome == "Failed")
        {
            WriteError(new IpoeException(EngineErrorIds.ReconcileFailed, ErrorKind.InvalidOperation, $"ipoe-agent (pid {pid}): {report.Error}", pid));
        }

        if (report.ConfirmationId is { } id)
        {
            WriteWarning($"Applied by ipoe-agent (pid {pid}). It goes back to the previous version of the document at {report.Deadline?.ToLocalTime():HH:mm:ss} unless 'Confirm-IpoeReconcile' runs before then (confirmation {id}).");
        }

        WriteObject(report);
    }
}
