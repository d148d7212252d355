namespace IpoeRouter.Engine.Loop;

/// <summary>How a pass ended: a closed set. The loop schedules the next pass from it.</summary>
public abstract record PassOutcome
{
    private PassOutcome()
    {
    }

    /// <summary>The name the status shows.</summary>
    public abstract string Name { get; }

    /// <summary>Everything declared is in place; the next pass waits for a cause.</summary>
    public sealed record Converged : PassOutcome
    {
        /// <inheritdoc/>
        public override string Name => nameof(Converged);
    }

    /// <summary>Applied what could be; items wait for bindings. Tried again after <see cref="After"/> unless a cause comes first.</summary>
    /// <param name="After">When to try again.</param>
    public sealed record Pending(TimeSpan After) : PassOutcome
    {
        /// <inheritdoc/>
        public override string Name => nameof(Pending);
    }

    /// <summary>The pass failed and rolled back; tried again after <see cref="RetryAfter"/> (null: only on a new cause).</summary>
    /// <param name="Error">Why.</param>
    /// <param name="RetryAfter">When to try again.</param>
    public sealed record Failed(string Error, TimeSpan? RetryAfter) : PassOutcome
    {
        /// <inheritdoc/>
        public override string Name => nameof(Failed);
    }

    /// <summary>Nothing was applied: an apply made without the agent waits for confirmation. Looked at again after <see cref="Recheck"/>.</summary>
    /// <param name="Why">What holds it.</param>
    /// <param name="Recheck">When to look again.</param>
    public sealed record Held(string Why, TimeSpan Recheck) : PassOutcome
    {
        /// <inheritdoc/>
        public override string Name => nameof(Held);
    }

    /// <summary>When the loop should run a pass again by itself, null when only a cause (or the resync) should start one.</summary>
    public TimeSpan? NextTry => this switch
    {
        Pending p => p.After,
        Failed f => f.RetryAfter,
        Held h => h.Recheck,
        _ => null,
    };
}

/// <summary>One pass as the status and the log show it.</summary>
/// <param name="Number">The pass's number since the loop started (1 is the first).</param>
/// <param name="Causes">The causes that started it, oldest first.</param>
/// <param name="EndedAt">When it ended.</param>
/// <param name="Duration">Engine time: from its first cause's arrival to its end (the settle window included).</param>
/// <param name="Outcome">How it ended.</param>
public sealed record PassRecord(long Number, IReadOnlyList<Cause> Causes, DateTimeOffset EndedAt, TimeSpan Duration, PassOutcome Outcome);
