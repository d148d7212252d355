namespace IpoeRouter.Services.Dhcp4Client;

/// <summary>
/// One exchange's retransmission parameters (RFC 2131 §4.1): the first timeout, the most a timeout
/// grows to by doubling, and how many transmissions the exchange makes (0: no limit).
/// </summary>
/// <param name="InitialTimeout">The wait after the first transmission.</param>
/// <param name="MaxTimeout">The cap of the doubling.</param>
/// <param name="MaxCount">Transmissions before the exchange gives up (0: never).</param>
public sealed record Dhcp4RetransmissionParameters(TimeSpan InitialTimeout, TimeSpan MaxTimeout, int MaxCount);

/// <summary>The DHCPv4 client's timers (RFC 2131 §4.1, §4.4.5), by exchange.</summary>
public static class Dhcp4Timers
{
    /// <summary>The randomisation of every DISCOVER/REQUEST timeout: uniform in ±1 s (RFC 2131 §4.1).</summary>
    public static TimeSpan Jitter { get; } = TimeSpan.FromSeconds(1);

    /// <summary>DISCOVER in SELECTING: 4, 8, 16, 32, 64, 64 … s, for as long as it takes.</summary>
    public static Dhcp4RetransmissionParameters Discover { get; } = new(TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(64), MaxCount: 0);

    /// <summary>REQUEST in REQUESTING: 4, 8, 16, 32 s, then back to INIT (about a minute for a server that offered and went quiet).</summary>
    public static Dhcp4RetransmissionParameters Request { get; } = new(TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(64), MaxCount: 4);

    /// <summary>REQUEST in REBOOTING: 4, 8 s, then back to INIT (RFC 2131 §3.2: a server that does not answer cannot confirm the address).</summary>
    public static Dhcp4RetransmissionParameters Reboot { get; } = new(TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(64), MaxCount: 2);

    /// <summary>The shortest wait between REQUESTs in RENEWING and REBINDING (RFC 2131 §4.4.5: half the time left until T2 or expiry, down to 60 s).</summary>
    public static TimeSpan RenewMinimum { get; } = TimeSpan.FromSeconds(60);

    /// <summary>The first wait before DISCOVER after a NAK; it doubles with each NAK in a row up to <see cref="NakMaxDelay"/>, so a server that offers and then refuses is not asked in a loop.</summary>
    public static TimeSpan NakDelay { get; } = TimeSpan.FromSeconds(1);

    /// <summary>The cap of the wait after NAKs in a row.</summary>
    public static TimeSpan NakMaxDelay { get; } = TimeSpan.FromSeconds(64);

    /// <summary>The wait before DISCOVER after DECLINE (RFC 2131 §3.1 step 5: at least ten seconds).</summary>
    public static TimeSpan DeclineDelay { get; } = TimeSpan.FromSeconds(10);

    /// <summary>The most the first ARP probe waits, a random part of it (RFC 5227 §1.1 PROBE_WAIT).</summary>
    public static TimeSpan ProbeWait { get; } = TimeSpan.FromSeconds(1);

    /// <summary>How many ARP probes are sent (RFC 5227 §1.1 PROBE_NUM).</summary>
    public static int ProbeCount { get; } = 3;

    /// <summary>The shortest gap between probes (RFC 5227 §1.1 PROBE_MIN).</summary>
    public static TimeSpan ProbeMin { get; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest gap between probes (RFC 5227 §1.1 PROBE_MAX).</summary>
    public static TimeSpan ProbeMax { get; } = TimeSpan.FromSeconds(2);

    /// <summary>The wait after the last probe before the address is used (RFC 5227 §1.1 ANNOUNCE_WAIT).</summary>
    public static TimeSpan AnnounceWait { get; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// The backoff of one exchange (RFC 2131 §4.1): the first timeout, then doubled each time up to the
/// cap, each randomised by ±<see cref="Dhcp4Timers.Jitter"/>. Pure: the random source ([0, 1)) is given.
/// </summary>
public sealed class Dhcp4Backoff(Dhcp4RetransmissionParameters parameters, Func<double> random)
{
    private TimeSpan _base;

    /// <summary>Transmissions so far.</summary>
    public int Count { get; private set; }

    /// <summary>Records one transmission and returns how long to wait for an answer, or null when the exchange has made all its transmissions.</summary>
    public TimeSpan? Next()
    {
        if (parameters.MaxCount > 0 && Count >= parameters.MaxCount)
        {
            return null;
        }

        _base = Count == 0 ? parameters.InitialTimeout : _base * 2;
        if (_base > parameters.MaxTimeout)
        {
            _base = parameters.MaxTimeout;
        }

        Count++;
        return _base + (Dhcp4Timers.Jitter * ((random() * 2) - 1));
    }
}
