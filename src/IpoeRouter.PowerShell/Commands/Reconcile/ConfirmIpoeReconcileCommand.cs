using System.Management.Automation;
using IpoeRouter.Engine;
using IpoeRouter.Engine.Journal;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>
/// Confirms an apply made with Invoke-IpoeReconcile -ConfirmWithin, so it is kept. Without -Id it
/// confirms every pending apply. An apply that already rolled back cannot be confirmed: the error says so.
/// </summary>
/// <example>
/// <code>Confirm-IpoeReconcile</code>
/// <para>Needs root: it reads the kernel.</para>
/// <para>Keeps the changes of the apply that waits for confirmation.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Confirm, "IpoeReconcile")]
[OutputType(typeof(PendingConfirmation), typeof(PendingApply))]
public sealed class ConfirmIpoeReconcileCommand : IpoeCmdlet
{
    /// <summary>The router whose apply to confirm: a namespace made with <c>ip netns add</c> (labs), the host's by default. With an agent serving it, the agent is asked.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Namespace { get; set; }

    /// <summary>The confirmation ids (from Invoke-IpoeReconcile's output); all pending when left out.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("ConfirmationId")]
    public string[]? Id { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        string[]? given = ConfirmationIdFilter.WellFormed(Id, WriteError);
        if (given is { Length: 0 })
        {
            return; // every id given was malformed, and each was reported
        }

        if (AgentCalls.Serving(this, Namespace) is { } agent)
        {
            AgentCalls.WriteApplies(AgentCalls.Call(this, ct => agent.Client.ConfirmAsync(given, ct), agent.Pid), agent.Pid, WriteObject, WriteError);
            return;
        }

        string[] ids = given ?? [.. PendingConfirmation.List()];
        if (ids.Length == 0)
        {
            WriteError(new IpoeException(EngineErrorIds.NothingToConfirm, ErrorKind.ObjectNotFound,
                "No apply is waiting for confirmation: it was confirmed already, or its time ran out and it was rolled back."));
            return;
        }

        foreach (string id in ids)
        {
            PendingConfirmation? pending = PendingConfirmation.Claim(id, "confirmed");
            if (pending is null)
            {
                WriteError(new IpoeException(EngineErrorIds.ConfirmationNotFound, ErrorKind.ObjectNotFound,
                    $"Apply {id} is not waiting for confirmation: it was confirmed already, or it was rolled back when its time ran out.", id));
                continue;
            }

            WriteObject(pending);
        }
    }
}
