using System.Management.Automation;
using IpoeRouter.Engine;
using IpoeRouter.Engine.Journal;
using IpoeRouter.Engine.Kernel;
using IpoeRouter.Engine.Planning;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>
/// Rolls back an apply that waits for confirmation, now (or, with -AtDeadline, when its time is up
/// and only if it is still unconfirmed: what the watcher runs).
/// </summary>
/// <example>
/// <code>Undo-IpoeReconcile</code>
/// <para>Needs root: it reads the kernel.</para>
/// <para>Rolls the apply that waits for confirmation back now.</para>
/// </example>
[Cmdlet(VerbsCommon.Undo, "IpoeReconcile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(PendingConfirmation), typeof(PendingApply))]
public sealed class UndoIpoeReconcileCommand : IpoeCmdlet
{
    /// <summary>The router whose apply to roll back: a namespace made with <c>ip netns add</c> (labs), the host's by default. With an agent serving it, the agent goes back.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Namespace { get; set; }

    /// <summary>The confirmation ids; all pending when left out.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("ConfirmationId")]
    public string[]? Id { get; set; }

    /// <summary>Wait for the deadline first, and roll back only if still unconfirmed then.</summary>
    [Parameter]
    public SwitchParameter AtDeadline { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        string[]? given = ConfirmationIdFilter.WellFormed(Id, WriteError);
        if (given is { Length: 0 })
        {
            return; // every id given was malformed, and each was reported
        }

        if (!AtDeadline && AgentCalls.Serving(this, Namespace) is { } agent)
        {
            if (!ShouldProcess($"the apply on probation held by ipoe-agent (pid {agent.Pid})", "Go back to the version of the document before it"))
            {
                return;
            }

            AgentCalls.WriteApplies(AgentCalls.Call(this, ct => agent.Client.UndoAsync(given, ct), agent.Pid), agent.Pid, WriteObject, WriteError);
            return;
        }

        foreach (string id in given ?? [.. PendingConfirmation.List()])
        {
            PendingConfirmation? pending = PendingConfirmation.Load(id);
            if (pending is null)
            {
                WriteError(new IpoeException(EngineErrorIds.ConfirmationNotFound, ErrorKind.ObjectNotFound, $"Apply {id} is not waiting for confirmation.", id));
                continue;
            }

            if (AtDeadline)
            {
                TimeSpan wait = pending.Deadline - DateTimeOffset.UtcNow;
                if (wait > TimeSpan.Zero && CancellationToken.WaitHandle.WaitOne(wait))
                {
                    return; // stopped
                }

            }

            if (!AtDeadline && !ShouldProcess($"apply {id}", $"Roll back {pending.Undo.Count} change(s)"))
            {
                continue;
            }

            // Take it atomically: a confirmation that arrives now loses, and says so.
            pending = PendingConfirmation.Claim(id, "rollingback");
            if (pending is null)
            {
                WriteVerbose($"Apply {id} was confirmed in time; nothing to roll back.");
                continue;
            }

            RequireRoot();
            using NetlinkKernel kernel = NetlinkKernel.Open(pending.Namespace);
            IReadOnlyList<string> failures = Applier.Undo(kernel, pending.Undo);
            foreach (string failure in failures)
            {
                WriteError(new IpoeException(EngineErrorIds.ReconcileFailed, ErrorKind.InvalidOperation, $"Rolling back apply {id}: {failure}", id));
            }

            WriteObject(pending);
        }
    }
}
