namespace IpoeRouter.Services.RaSender;

/// <summary>The router's advertising intervals (RFC 4861 §6.2.1); the defaults are the RFC's.</summary>
/// <param name="MaxInterval">MaxRtrAdvInterval: 600 s by default (4 … 1800 s).</param>
/// <param name="MinInterval">MinRtrAdvInterval: 0.33 × MaxRtrAdvInterval by default.</param>
public sealed record RaIntervals(TimeSpan MaxInterval, TimeSpan MinInterval)
{
    /// <summary>RFC 4861's defaults: 600 s and 198 s.</summary>
    public static RaIntervals Default { get; } = FromMax(TimeSpan.FromSeconds(600));

    /// <summary>
    /// MaxRtrAdvInterval <paramref name="max"/> (4 … 1800 s) with RFC 4861's default minimum: a third of
    /// it from 9 s up, else the maximum itself (so never below 3 s).
    /// </summary>
    public static RaIntervals FromMax(TimeSpan max)
    {
        if (max < TimeSpan.FromSeconds(4) || max > TimeSpan.FromSeconds(1800))
        {
            throw new ArgumentOutOfRangeException(nameof(max), max, "MaxRtrAdvInterval is 4 … 1800 s (RFC 4861 §6.2.1)");
        }

        return new(max, max >= TimeSpan.FromSeconds(9) ? max * 0.33 : max);
    }

    /// <summary>MAX_INITIAL_RTR_ADVERT_INTERVAL: the first advertisements come at most this far apart.</summary>
    public static TimeSpan MaxInitialInterval { get; } = TimeSpan.FromSeconds(16);

    /// <summary>MAX_INITIAL_RTR_ADVERTISEMENTS.</summary>
    public const int MaxInitialAdvertisements = 3;

    /// <summary>MAX_RA_DELAY_TIME: an answer to a solicitation waits a random time up to this.</summary>
    public static TimeSpan MaxRaDelay { get; } = TimeSpan.FromMilliseconds(500);

    /// <summary>MIN_DELAY_BETWEEN_RAS: multicast advertisements are at least this far apart.</summary>
    public static TimeSpan MinDelayBetweenRas { get; } = TimeSpan.FromSeconds(3);
}

/// <summary>
/// When the next multicast Router Advertisement goes out on one LAN (RFC 4861 §6.2.4–6.2.6), without
/// I/O: unsolicited ones at a random interval between Min and Max, the first three (and the first
/// three after the announced information changed) at most 16 s apart, and answers to solicitations
/// after a random delay of up to 0.5 s but never closer than 3 s to the previous multicast RA.
/// </summary>
public sealed class RaScheduler(Func<double> random, RaIntervals? intervals = null)
{
    private readonly RaIntervals _intervals = intervals ?? RaIntervals.Default;
    private int _initialLeft;
    private DateTimeOffset? _lastSent;

    /// <summary>When the next advertisement is due (null: not started).</summary>
    public DateTimeOffset? NextAt { get; private set; }

    /// <summary>Starts advertising: the first one at once.</summary>
    public void Start(DateTimeOffset now)
    {
        _initialLeft = RaIntervals.MaxInitialAdvertisements;
        NextAt = now;
    }

    /// <summary>
    /// The announced information changed (a new prefix, one withdrawn): advertise at once, rate limit
    /// permitting, and treat the next ones as initial so a host that missed one hears it again soon
    /// (RFC 4861 §6.2.4).
    /// </summary>
    public void InformationChanged(DateTimeOffset now)
    {
        _initialLeft = RaIntervals.MaxInitialAdvertisements;
        Schedule(NotBeforeRateLimit(now));
    }

    /// <summary>A valid Router Solicitation arrived at <paramref name="now"/>.</summary>
    public void Solicited(DateTimeOffset now)
    {
        TimeSpan delay = random() * RaIntervals.MaxRaDelay;
        bool recent = _lastSent is { } last && now - last < RaIntervals.MinDelayBetweenRas;
        Schedule(recent ? _lastSent!.Value + RaIntervals.MinDelayBetweenRas + delay : now + delay);
    }

    /// <summary>The due advertisement was sent at <paramref name="now"/>; the next one is scheduled.</summary>
    public void Sent(DateTimeOffset now)
    {
        _lastSent = now;
        TimeSpan interval = _intervals.MinInterval + random() * (_intervals.MaxInterval - _intervals.MinInterval);
        if (_initialLeft > 0)
        {
            _initialLeft--;
            if (interval > RaIntervals.MaxInitialInterval)
            {
                interval = RaIntervals.MaxInitialInterval;
            }
        }

        NextAt = now + (interval < RaIntervals.MinDelayBetweenRas ? RaIntervals.MinDelayBetweenRas : interval);
    }

    /// <summary>
    /// The due advertisement had nothing to say (no prefix yet) and was not sent: nothing more is due
    /// until the information changes or a host solicits, and the rate limit does not count it.
    /// </summary>
    public void Skipped() => NextAt = null;

    private DateTimeOffset NotBeforeRateLimit(DateTimeOffset at) =>
        _lastSent is { } last && at < last + RaIntervals.MinDelayBetweenRas ? last + RaIntervals.MinDelayBetweenRas : at;

    private void Schedule(DateTimeOffset at)
    {
        if (NextAt is null || at < NextAt)
        {
            NextAt = at;
        }
    }
}
