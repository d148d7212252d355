using IpoeRouter.Control;
using IpoeRouter.Engine;
using IpoeRouter.Engine.Documents;
using IpoeRouter.Engine.Kernel;
using IpoeRouter.Engine.Loop;
using IpoeRouter.Engine.Planning;
using IpoeRouter.Model;

namespace IpoeRouter.Agent.Hosting;

/// <summary>What the control socket asks of the running router: plans with its facts, passes on request, applies on probation.</summary>
internal sealed partial class RouterHost
{
    private readonly SemaphoreSlim _controlPass = new(1, 1);
    private int? _armSeconds;
    private IpoeException? _armError;
    private string? _namespaceIdentity;

    /// <summary>The network namespace this host serves (inode@boot), for the status.</summary>
    public string? NamespaceIdentity
    {
        get => _namespaceIdentity;
        init => _namespaceIdentity = value;
    }

    /// <summary>The plan for the running document against the kernel now, with this agent's runtime facts (a kernel connection of its own: the loop's is not shared).</summary>
    public PlanResult Plan()
    {
        using var kernel = new NetlinkKernel(_options.Namespace);
        RouterDocument effective;
        lock (_gate)
        {
            effective = _effective;
        }

        Plan plan = new Reconciler(new DsLite.B4Kernel(kernel, _b4s)).Plan(effective, Facts());
        return new PlanResult([.. plan.Items.Select(i => i.ToPlanItem())], _document.Path, Environment.ProcessId);
    }

    /// <summary>
    /// One pass now, for the document on disk (read again first). With <see cref="ReconcileRequest.ConfirmWithinSeconds"/>
    /// the running version goes on probation before anything is applied: unless confirmed in time, the
    /// agent goes back to the version before it.
    /// </summary>
    public async Task<ReconcileReport> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken)
    {
        ReconcileLoop loop = _loop ?? throw Starting();
        await _controlPass.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_gate)
            {
                _armSeconds = request.ConfirmWithinSeconds;
                _armError = null;
            }

            PassRecord pass = await loop.RequestPassAsync(new Cause(CauseKind.Document, "Invoke-IpoeReconcile through the control socket", _options.Time.GetUtcNow()))
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            ReconcileResult? result;
            IpoeException? armError;
            lock (_gate)
            {
                result = _lastResult;
                armError = _armError;
                _armSeconds = null;
            }

            if (armError is not null)
            {
                throw armError;
            }

            HeldApply? held = request.ConfirmWithinSeconds is null ? null : _held.Current;
            return new ReconcileReport(pass.Outcome.Name,
                result is null ? [] : [.. result.Applied.Select(a => a.ToPlanItem())],
                result is null ? [] : [.. result.Remaining.Pending.Select(p => p.ToPlanItem())],
                _document.Path, null)
            {
                Error = pass.Outcome is PassOutcome.Failed f ? f.Error : pass.Outcome is PassOutcome.Held h ? h.Why : null,
                ConfirmationId = held?.Id,
                Deadline = held?.Deadline,
                AgentPid = Environment.ProcessId,
            };
        }
        finally
        {
            _controlPass.Release();
        }
    }

    /// <summary>Keeps the apply on probation (all when <paramref name="ids"/> is null).</summary>
    public ApplyIdsResult Confirm(IReadOnlyList<string>? ids)
    {
        var results = new List<PendingApply>();
        foreach (string? id in ids is null ? new string?[] { null } : [.. ids])
        {
            HeldApply? held = _held.Take(id);
            if (held is null)
            {
                results.Add(new PendingApply(id ?? string.Empty, default, 0) { State = "NotFound" });
                continue;
            }

            Log($"confirm: apply {held.Id} confirmed; the running version is kept");
            results.Add(new PendingApply(held.Id, held.Deadline, 0) { State = "Confirmed" });
        }

        return new ApplyIdsResult(results);
    }

    /// <summary>Goes back from the apply on probation now (all when <paramref name="ids"/> is null), answering when the pass has ended.</summary>
    public async Task<ApplyIdsResult> UndoAsync(IReadOnlyList<string>? ids, CancellationToken cancellationToken)
    {
        ReconcileLoop loop = _loop ?? throw Starting();
        var results = new List<PendingApply>();
        foreach (string? id in ids is null ? new string?[] { null } : [.. ids])
        {
            HeldApply? held = _held.Current is { } c && (id is null || c.Id == id) ? c : null;
            if (held is null)
            {
                results.Add(new PendingApply(id ?? string.Empty, default, 0) { State = "NotFound" });
                continue;
            }

            _held.Arm(held with { Deadline = _options.Time.GetUtcNow() }); // due now: the pass goes back
            await loop.RequestPassAsync(new Cause(CauseKind.Confirmation, $"Undo-IpoeReconcile {held.Id}", _options.Time.GetUtcNow()))
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            results.Add(new PendingApply(held.Id, held.Deadline, 0) { State = "RolledBack" });
        }

        return new ApplyIdsResult(results);
    }

    /// <summary>Reads the document again (as SIGHUP does) and says whether it was taken.</summary>
    public async Task<ReloadResult> ReloadAsync(CancellationToken cancellationToken)
    {
        ReconcileLoop loop = _loop ?? throw Starting();
        await loop.RequestPassAsync(new Cause(CauseKind.Document, "reload through the control socket", _options.Time.GetUtcNow()))
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        return new ReloadResult(_document.RefusedAt is null, _document.Path, _document.RefusedErrors);
    }

    /// <summary>Asks for a pass for <paramref name="cause"/> without waiting (SIGHUP, a held deadline).</summary>
    public void Post(Cause cause) => _loop?.Post(cause);

    /// <summary>In a pass: puts the running version on probation when a control request asked for it, before anything is applied.</summary>
    private void ArmIfAsked()
    {
        int? seconds;
        lock (_gate)
        {
            seconds = _armSeconds;
            _armSeconds = null;
        }

        if (seconds is not { } s)
        {
            return;
        }

        DocumentSnapshot? previous = _held.Current is { } already
            ? Engine.Documents.DocumentStore.Parse(already.DocumentPath, already.PreviousDocument)
            : _document.Previous;
        if (previous?.Bytes is not { } bytes)
        {
            lock (_gate)
            {
                _armError = new IpoeException(EngineErrorIds.NothingToConfirm, ErrorKind.InvalidOperation,
                    $"The running version of {_document.Path} has run since the agent started, so there is no earlier version to go back to; -ConfirmWithin puts a new version on probation: edit the document, then run Invoke-IpoeReconcile -ConfirmWithin.", _document.Path);
            }

            return;
        }

        DateTimeOffset now = _options.Time.GetUtcNow();
        var held = new HeldApply(_held.Current?.Id ?? HeldApply.NewId(now), now.AddSeconds(s), _document.Path, bytes, _document.RunningFingerprint,
            _held.Current?.Revert ?? RevertStep.From(_versionUndo));
        _held.Arm(held);
        Log($"confirm: apply {held.Id} on probation until {held.Deadline:u}: unless Confirm-IpoeReconcile runs by then, the agent goes back to the version before it");
    }

    private static IpoeException Starting() =>
        new(EngineErrorIds.AgentStarting, ErrorKind.ResourceUnavailable, "The agent is still starting (its first pass has not run); try again in a moment.");
}
