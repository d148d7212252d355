using System.Net;
using IpoeRouter.Control;
using IpoeRouter.Engine.Documents;
using IpoeRouter.Engine.Kernel;
using IpoeRouter.Engine.Loop;
using IpoeRouter.Engine.Planning;
using IpoeRouter.Linux.Rtnl;
using IpoeRouter.Model;
using IpoeRouter.Protocols.Wire;
using IpoeRouter.Services.Dhcp4Server;
using IpoeRouter.Services.Dhcp6InfoServer;
using IpoeRouter.Services.DnsForwarder;
using IpoeRouter.Services.Dhcp6PdClient;
using IpoeRouter.Services.RaSender;
using Wan4Client = IpoeRouter.Services.Dhcp4Client.Dhcp4Client;
using Wan4Lease = IpoeRouter.Services.Dhcp4Client.Dhcp4Lease;

namespace IpoeRouter.Agent.Hosting;

/// <summary>One reconcile pass: the document followed, applies on probation, then observe → plan → apply with the moment's facts.</summary>
internal sealed partial class RouterHost
{
    private readonly HeldApplies _held;
    private CancellationTokenSource? _restart;
    private string? _lastRefusal;
    private bool _versionTaken; // the running version was taken since the last pass: its pass's undo journal is the version's
    private IReadOnlyList<KernelOperation> _versionUndo = [];

    /// <summary>
    /// One pass for <paramref name="causes"/>: takes a new document first (when one of them says so and it
    /// is valid), goes back from an apply on probation whose time is up, then reconciles; the LANs'
    /// announcements follow what the kernel now holds. Runs on the loop's thread only.
    /// </summary>
    private PassOutcome Pass(IReadOnlyList<Cause> causes)
    {
        if (causes.Any(c => c.Kind == CauseKind.Document) && FollowDocument() is { } restart)
        {
            return restart;
        }

        ArmIfAsked();
        if (_held.Due(_options.Time.GetUtcNow()) is { } due && RollBack(due, "its time ran out without Confirm-IpoeReconcile") is { } restarting)
        {
            return restarting;
        }

        PassOutcome outcome = Reconcile();
        if (outcome is not PassOutcome.Held)
        {
            UpdateLans(); // while a direct apply waits, the LANs announce nothing the kernel may lose again
        }

        return outcome;
    }

    /// <summary>Reads the document again; a new valid version is taken (or, when it changes the services, ends this run to start them again).</summary>
    private PassOutcome? FollowDocument()
    {
        RouterDocument before = _effective;
        switch (_document.Reload())
        {
            case ReloadOutcome.Refused:
                string why = string.Join("; ", _document.RefusedErrors);
                if (why != _lastRefusal)
                {
                    Log($"document: refused {_document.Path}, the running version stays: {why}");
                    _lastRefusal = why;
                }

                return null;
            case ReloadOutcome.Unchanged:
                return null;
        }

        _lastRefusal = null;
        foreach (var warning in _document.Running.Loaded.Warnings)
        {
            Log($"document: warning {warning}");
        }

        return TakeRunning(before, $"document: took the new version of {_document.Path} ({_document.RunningFingerprint[..8]})");
    }

    /// <summary>Makes the follower's running version this run's; when it changes the services, asks for a restart instead.</summary>
    private PassOutcome? TakeRunning(RouterDocument before, string logLine)
    {
        RouterDocument next = _document.Running.Loaded.Effective;
        if (ServiceShape.Differs(before, next) is { } what)
        {
            Log($"{logLine}; its services change ({what}): starting them again, leases kept");
            _restart?.Cancel();
            return new PassOutcome.Held("the services are starting again for the new document", TimeSpan.FromSeconds(1));
        }

        Log(logLine);
        lock (_gate)
        {
            _effective = next;
        }

        _versionTaken = true;
        return null;
    }

    /// <summary>Goes back from an apply on probation to the version that ran before it.</summary>
    private PassOutcome? RollBack(HeldApply held, string why)
    {
        _held.Remove(held);
        foreach (string failure in Applier.Undo(_kernel!, held.Revert.Select(r => r.ToOperation())))
        {
            Log($"confirm: going back from apply {held.Id}: {failure}");
        }

        RouterDocument before = _effective;
        _document.RollBackTo(DocumentStore.Parse(held.DocumentPath, held.PreviousDocument), $"apply {held.Id} was rolled back: {why}; edit the document again (or Import-IpoeDocument) to apply a new version");
        return TakeRunning(before, $"confirm: apply {held.Id} rolled back ({why}): back to the version before it");
    }

    /// <summary>Converges the kernel with the facts of the moment.</summary>
    private PassOutcome Reconcile()
    {
        UpdateAftr(); // the names and servers of this pass; Facts() only reads, as the status and the plan call it too
        RuntimeFacts facts = Facts();
        DateTimeOffset now = _options.Time.GetUtcNow();
        IReadOnlyList<string> waiting;
        try
        {
            waiting = Engine.Journal.PendingApplies.Ids();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            SetReconcile(new ReconcileStatus(now, "Failed", [], $"cannot read {Engine.Journal.PendingApplies.Directory}: {e.Message}"));
            return new PassOutcome.Failed(e.Message, Reconciler.PendingRetry);
        }

        if (waiting.Count > 0)
        {
            // An apply made without the agent waits for confirmation: applying now would make its rollback undo the wrong state.
            string why = $"an apply made without the agent waits for confirmation ({string.Join(", ", waiting)}); passes resume after Confirm-IpoeReconcile or Undo-IpoeReconcile";
            if (_reconcile.Outcome != "Held")
            {
                Log($"reconcile: held: {why}");
            }

            SetReconcile(new ReconcileStatus(now, "Held", [], why));
            Observe();
            return new PassOutcome.Held(why, TimeSpan.FromSeconds(5));
        }

        ReconcileResult result;
        try
        {
            result = _reconciler!.Reconcile(_effective, facts);
        }
        catch (Exception e) when (Applier.IsKernelFailure(e) || e is IpoeException or InvalidOperationException)
        {
            // The kernel refused or changed under us (an interrupted dump while addresses settle): next pass.
            SetReconcile(new ReconcileStatus(now, "Failed", [], e.Message));
            Log($"reconcile: failed: {e.Message}");
            return new PassOutcome.Failed(e.Message, Reconciler.PendingRetry);
        }

        foreach (ResourceDiff applied in result.Applied)
        {
            Log($"reconcile: {applied.Summary}");
        }

        string? error = result.Outcome is ReconcileOutcome.Failed f ? $"{result.Failure?.Failed?.Summary ?? "observe"}: {f.Error.Message}" : null;
        if (error is not null)
        {
            Log($"reconcile: failed, rolled back: {error}");
        }

        SetReconcile(new ReconcileStatus(now, result.Outcome switch
        {
            ReconcileOutcome.Converged => "Converged",
            ReconcileOutcome.RetryAfter => "Pending",
            _ => "Failed",
        }, result.Remaining.Pending.Select(p => $"{p.Key}: {p.Reason}").ToList(), error)
        {
            Applied = [.. result.Applied.Select(a => a.Summary)],
        });
        lock (_gate)
        {
            _lastResult = result;
        }

        if (_versionTaken)
        {
            _versionUndo = result.Journal;
            _versionTaken = false;
        }

        if (result.Outcome is ReconcileOutcome.Failed || _reconciler.LastObserved is not { } seen)
        {
            Observe(); // a failed pass rolled back after its last look
        }
        else
        {
            lock (_gate)
            {
                _lastObserved = seen; // the reconcile's last look is after its last change: no second read
            }
        }
        return result.Outcome switch
        {
            ReconcileOutcome.RetryAfter after => new PassOutcome.Pending(after.After),
            ReconcileOutcome.Failed failed => new PassOutcome.Failed(error!, failed.Retryable ? Reconciler.PendingRetry : null),
            _ => new PassOutcome.Converged(),
        };
    }

    private ReconcileResult? _lastResult;

    private void SetReconcile(ReconcileStatus status)
    {
        lock (_gate)
        {
            _reconcile = status;
        }
    }

    /// <summary>After every pass: the log names what started it when it changed something or failed; systemd hears one status line.</summary>
    private void OnPassed(PassRecord pass)
    {
        string causes = string.Join(", ", pass.Causes.GroupBy(c => c.Kind).Select(g => g.Count() == 1 ? g.First().ToString() : $"{g.Key.ToString().ToLowerInvariant()} ×{g.Count()}"));
        bool changed = _reconcile.Applied.Count > 0 || pass.Outcome is PassOutcome.Failed;
        if (changed || pass.Causes.Any(c => c.Kind is CauseKind.Document or CauseKind.Control or CauseKind.Confirmation or CauseKind.Overflow))
        {
            Log($"reconcile: pass {pass.Number} {pass.Outcome.Name} in {pass.Duration.TotalMilliseconds:0.0} ms for {causes}");
        }

        _options.PassStatus?.Invoke($"{pass.Outcome.Name}; pass {pass.Number} for {pass.Causes[0].Kind.ToString().ToLowerInvariant()} in {pass.Duration.TotalMilliseconds:0} ms");
    }

    /// <summary>Asks the loop for a pass and waits until one that took the ask has ended (at most 10 s; not while stopping).</summary>
    private async Task ReconcileNowAsync(Cause cause)
    {
        if (_stopping || _loop is not { } loop)
        {
            return;
        }

        try
        {
            await loop.RequestPassAsync(cause).WaitAsync(TimeSpan.FromSeconds(10), _options.Time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log($"{cause.Detail}: the kernel was not updated within 10 s (reconcile: {_reconcile.Outcome}); going on");
        }
        catch (TaskCanceledException)
        {
            // the loop ended (stopping, or starting again for a new document): the next run applies it
        }
    }

    /// <summary>Refreshes the kernel view the status and the LAN announcements read (on the reconcile loop only: the netlink socket is not shared).</summary>
    private void Observe()
    {
        try
        {
            KernelSnapshot snapshot = _kernel!.Observe([]);
            lock (_gate)
            {
                _lastObserved = snapshot;
            }
        }
        catch (Exception e) when (Applier.IsKernelFailure(e))
        {
            Log($"status: cannot read the kernel: {e.Message}");
        }
    }

    private RuntimeFacts Facts()
    {
        DateTimeOffset now = _options.Time.GetUtcNow();
        var prefixes = new Dictionary<string, IPNetwork>(StringComparer.Ordinal);
        var lost = new HashSet<string>(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var (name, record) in _records)
            {
                if (record?.Lease?.Prefixes.FirstOrDefault(p => p.ValidUntil > now) is { } p)
                {
                    prefixes[name] = new IPNetwork(p.Prefix, p.Length);
                }
                else if (_lost.Contains(name) || record?.Lease is not null)
                {
                    lost.Add(name); // withdrawn, or a recorded lease whose prefixes all expired
                }
            }
        }

        var leased = new Dictionary<string, LeasedAddress>(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var (name, lease) in _wan4)
            {
                if (lease is not null && lease.RemainingAt(now) is var left && left > TimeSpan.Zero)
                {
                    leased[name] = new LeasedAddress(lease.Address, lease.PrefixLength, left == TimeSpan.MaxValue ? null : (uint)Math.Min(Math.Ceiling(left.TotalSeconds), uint.MaxValue - 1));
                }
            }
        }

        return new RuntimeFacts
        {
            DelegatedPrefixes = prefixes,
            LostDelegations = lost,
            Dhcp4Addresses = leased,
            TunnelRemotes = _aftr?.Facts() ?? new Dictionary<string, ResolvedRemote>(),
        };
    }
}
