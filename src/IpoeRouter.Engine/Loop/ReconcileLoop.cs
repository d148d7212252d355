namespace IpoeRouter.Engine.Loop;

/// <summary>How the loop turns causes into passes.</summary>
public sealed record ReconcileLoopOptions
{
    /// <summary>After the first cause of a burst, how long to wait for the rest of it, so a burst gives one pass.</summary>
    public TimeSpan SettleWindow { get; init; } = TimeSpan.FromMilliseconds(15);

    /// <summary>A pass every so often for what has no events (sysctl); the clock is restarted by every pass.</summary>
    public TimeSpan ResyncInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The loop wakes at least this often to say it is alive (the systemd watchdog), null for never.</summary>
    public TimeSpan? HeartbeatInterval { get; init; }
}

/// <summary>
/// The agent's one reconcile loop: causes in, passes out. Causes arrive from any thread
/// (<see cref="Post"/>); the loop waits a short settle window after the first of a burst, then runs one
/// pass for all of them on its own thread, records it, and schedules the next one from the pass's
/// closed outcome (retry after, or wait for the next cause or the resync). A pass is level-based: it
/// looks at everything afresh, so the causes only say why it ran. The pass itself is given; this class
/// owns only the scheduling, so it runs on virtual time in tests.
/// </summary>
public sealed class ReconcileLoop
{
    private readonly TimeProvider _time;
    private readonly Func<IReadOnlyList<Cause>, PassOutcome> _pass;
    private readonly ReconcileLoopOptions _options;
    private readonly object _gate = new();
    private readonly List<Cause> _queued = [];
    private readonly List<(Cause Cause, TaskCompletionSource<PassRecord> Done)> _waiters = [];
    private readonly Dictionary<CauseKind, long> _counts = [];
    private readonly Dictionary<string, long> _outcomes = new(StringComparer.Ordinal);
    private TaskCompletionSource _wake = NewWake();
    private PassRecord? _last;
    private long _passes;
    private bool _ended;

    /// <summary>Creates the loop; nothing runs until <see cref="RunAsync"/>.</summary>
    /// <param name="time">The clock.</param>
    /// <param name="pass">One pass: observe, plan, apply; called on the loop's thread only, never twice at once.</param>
    /// <param name="options">The settle window, resync and heartbeat intervals.</param>
    public ReconcileLoop(TimeProvider time, Func<IReadOnlyList<Cause>, PassOutcome> pass, ReconcileLoopOptions? options = null)
    {
        _time = time;
        _pass = pass;
        _options = options ?? new ReconcileLoopOptions();
    }

    /// <summary>Called after every pass (the log, the status line), on the loop's thread.</summary>
    public Action<PassRecord>? Passed { get; init; }

    /// <summary>Called every time the loop wakes, at least every <see cref="ReconcileLoopOptions.HeartbeatInterval"/> (the watchdog): it does not come while a pass hangs.</summary>
    public Action? Alive { get; init; }

    /// <summary>Called when a pass throws (a bug: a pass reports its failures as <see cref="PassOutcome.Failed"/>).</summary>
    public Action<Exception>? Faulted { get; init; }

    /// <summary>The last pass, null before the first.</summary>
    public PassRecord? Last
    {
        get
        {
            lock (_gate)
            {
                return _last;
            }
        }
    }

    /// <summary>Passes run so far.</summary>
    public long Passes => Interlocked.Read(ref _passes);

    /// <summary>Causes posted so far, by kind (a burst counts each; it gives one pass).</summary>
    public IReadOnlyDictionary<CauseKind, long> CauseCounts
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<CauseKind, long>(_counts);
            }
        }
    }

    /// <summary>Passes so far by how they ended (Converged, Pending, Failed, Held).</summary>
    public IReadOnlyDictionary<string, long> OutcomeCounts
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, long>(_outcomes, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Asks for a pass (from any thread); a burst of posts gives one pass.</summary>
    public void Post(Cause cause)
    {
        ArgumentNullException.ThrowIfNull(cause);
        lock (_gate)
        {
            _queued.Add(cause);
            _counts[cause.Kind] = _counts.GetValueOrDefault(cause.Kind) + 1;
            _wake.TrySetResult();
        }
    }

    /// <summary>
    /// Asks for a pass and waits for it: the task ends with the record of the pass that took
    /// <paramref name="cause"/> (so it started after the ask). When the loop ends first, the task is cancelled.
    /// </summary>
    public Task<PassRecord> RequestPassAsync(Cause cause)
    {
        var done = new TaskCompletionSource<PassRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_ended)
            {
                done.TrySetCanceled();
                return done.Task;
            }

            _waiters.Add((cause, done));
        }

        Post(cause);
        return done.Task;
    }

    /// <summary>Runs passes until <paramref name="stop"/> is cancelled; the first pass runs for <paramref name="first"/> at once.</summary>
    public async Task RunAsync(Cause first, CancellationToken stop)
    {
        Post(first);
        DateTimeOffset resyncAt = _time.GetUtcNow() + _options.ResyncInterval;
        DateTimeOffset? retryAt = null;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                Alive?.Invoke();
                Task wake;
                lock (_gate)
                {
                    wake = _queued.Count > 0 ? Task.CompletedTask : (_wake = NewWake()).Task;
                }

                DateTimeOffset now = _time.GetUtcNow();
                DateTimeOffset due = retryAt is { } r && r < resyncAt ? r : resyncAt;
                TimeSpan wait = due - now;
                if (_options.HeartbeatInterval is { } beat && beat < wait)
                {
                    wait = beat;
                }

                if (!wake.IsCompleted && wait > TimeSpan.Zero)
                {
                    await Task.WhenAny(wake, Task.Delay(wait, _time, stop)).ConfigureAwait(false);
                    if (stop.IsCancellationRequested)
                    {
                        break;
                    }
                }

                now = _time.GetUtcNow();
                bool caused;
                lock (_gate)
                {
                    caused = _queued.Count > 0;
                }

                Cause? timed = null;
                if (!caused)
                {
                    if (retryAt is { } at && at <= now)
                    {
                        timed = new Cause(CauseKind.Retry, "the last pass asked to be tried again", now);
                    }
                    else if (resyncAt <= now)
                    {
                        timed = new Cause(CauseKind.Resync, $"every {_options.ResyncInterval.TotalSeconds:0} s", now);
                    }
                    else
                    {
                        continue; // a heartbeat
                    }

                    Post(timed);
                }
                else if (_options.SettleWindow > TimeSpan.Zero)
                {
                    await Task.Delay(_options.SettleWindow, _time, stop).ConfigureAwait(false); // the rest of the burst
                }

                PassRecord record = RunPass();
                retryAt = record.Outcome.NextTry is { } next ? record.EndedAt + next : null;
                resyncAt = record.EndedAt + _options.ResyncInterval;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            List<(Cause, TaskCompletionSource<PassRecord> Done)> left;
            lock (_gate)
            {
                _ended = true;
                left = [.. _waiters];
                _waiters.Clear();
            }

            left.ForEach(w => w.Done.TrySetCanceled());
        }
    }

    private PassRecord RunPass()
    {
        List<Cause> causes;
        List<(Cause Cause, TaskCompletionSource<PassRecord> Done)> answering;
        lock (_gate)
        {
            causes = [.. _queued];
            _queued.Clear();
            answering = _waiters.Where(w => causes.Any(c => ReferenceEquals(c, w.Cause))).ToList();
            _waiters.RemoveAll(w => causes.Any(c => ReferenceEquals(c, w.Cause)));
        }

        PassOutcome outcome;
        try
        {
            outcome = _pass(causes);
        }
        catch (Exception e)
        {
            Faulted?.Invoke(e);
            outcome = new PassOutcome.Failed($"the pass failed unexpectedly: {e.Message}", TimeSpan.FromSeconds(30));
        }

        DateTimeOffset end = _time.GetUtcNow();
        DateTimeOffset start = causes.Min(c => c.ArrivedAt);
        var record = new PassRecord(Interlocked.Increment(ref _passes), causes, end, end - start, outcome);
        lock (_gate)
        {
            _last = record;
            _outcomes[outcome.Name] = _outcomes.GetValueOrDefault(outcome.Name) + 1;
        }

        Passed?.Invoke(record);
        answering.ForEach(w => w.Done.TrySetResult(record));
        return record;
    }

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
