namespace IpoeRouter.Services.Hosting;

/// <summary>
/// Lets through one log line per kind per period (a minute unless told) and counts the lines of that
/// kind it holds back; the next line let through says how many were suppressed. For lines a sender on
/// the network controls (malformed packets, solicitations with a wrong hop limit, a flooding client),
/// so that a flood costs a line a minute, not the log. Thread-safe.
/// </summary>
public sealed class LogRateLimiter
{
    private readonly Action<string> _log;
    private readonly TimeProvider _time;
    private readonly TimeSpan _period;
    private readonly Dictionary<string, (DateTimeOffset Last, long Suppressed)> _kinds = new(StringComparer.Ordinal);

    /// <summary>Writes through <paramref name="log"/>; the clock is <paramref name="time"/> (the system's by default).</summary>
    public LogRateLimiter(Action<string> log, TimeProvider? time = null, TimeSpan? period = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        _log = log;
        _time = time ?? TimeProvider.System;
        _period = period ?? TimeSpan.FromMinutes(1);
    }

    /// <summary>How many lines were held back so far, all kinds together (for tests and counters).</summary>
    public long Suppressed
    {
        get
        {
            lock (_kinds)
            {
                return _kinds.Values.Sum(k => k.Suppressed);
            }
        }
    }

    /// <summary>Writes <paramref name="line"/> unless a line of <paramref name="kind"/> was written less than a period ago.</summary>
    public void Write(string kind, string line) => Write(kind, _time.GetUtcNow(), line);

    /// <summary><see cref="Write(string, string)"/> at <paramref name="now"/> (a caller that already read its clock).</summary>
    public void Write(string kind, DateTimeOffset now, string line)
    {
        long suppressed;
        lock (_kinds)
        {
            if (_kinds.TryGetValue(kind, out var last) && now - last.Last < _period)
            {
                _kinds[kind] = (last.Last, last.Suppressed + 1);
                return;
            }

            suppressed = last.Suppressed;
            _kinds[kind] = (now, 0);
        }

        string every = _period == TimeSpan.FromMinutes(1) ? "a minute" : $"per {_period.TotalSeconds:0} s";
        _log(suppressed > 0
            ? $"{line} (at most one such line {every}; {suppressed} suppressed since the last)"
            : $"{line} (at most one such line {every})");
    }
}
