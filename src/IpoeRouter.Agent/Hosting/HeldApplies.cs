namespace IpoeRouter.Agent.Hosting;

/// <summary>
/// The applies on probation the agent holds (at most one at a time: a second arm replaces the first's
/// deadline but keeps its way back), kept in memory and in the run directory. Shared by every run of
/// the host, so a restart of the services for a new document does not lose a deadline.
/// </summary>
internal sealed class HeldApplies(string runDirectory, TimeProvider time)
{
    private readonly object _gate = new();
    private HeldApply? _current;
    private ITimer? _deadline;

    /// <summary>Called (on a timer thread) when the held apply's deadline comes: the agent posts a pass, which goes back.</summary>
    public Action? Expired { get; set; }

    /// <summary>The apply on probation, null when none.</summary>
    public HeldApply? Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>Holds <paramref name="apply"/>: on disk first, then in memory.</summary>
    public void Arm(HeldApply apply)
    {
        apply.Save(runDirectory);
        HeldApply? replaced;
        lock (_gate)
        {
            replaced = _current;
            _current = apply;
            _deadline?.Dispose();
            TimeSpan due = apply.Deadline - time.GetUtcNow();
            _deadline = time.CreateTimer(_ => Expired?.Invoke(), null, due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }

        if (replaced is not null && replaced.Id != apply.Id)
        {
            replaced.Delete(runDirectory);
        }
    }

    /// <summary>The held apply when its deadline has passed, else null.</summary>
    public HeldApply? Due(DateTimeOffset now)
    {
        lock (_gate)
        {
            return _current is { } c && c.Deadline <= now ? c : null;
        }
    }

    /// <summary>Takes the held apply named <paramref name="id"/> (any when null) for confirming or undoing; null when there is none such.</summary>
    public HeldApply? Take(string? id)
    {
        HeldApply? taken;
        lock (_gate)
        {
            taken = _current is { } c && (id is null || c.Id == id) ? c : null;
            if (taken is not null)
            {
                _current = null;
                _deadline?.Dispose();
                _deadline = null;
            }
        }

        taken?.Delete(runDirectory);
        return taken;
    }

    /// <summary>Forgets <paramref name="apply"/> (rolled back).</summary>
    public void Remove(HeldApply apply) => Take(apply.Id);
}
