namespace IpoeRouter.Services.Dhcp6PdClient;

/// <summary>
/// The retransmission schedule of one exchange (RFC 8415 §15): RT = IRT + RAND·IRT for the first
/// transmission, then RT = 2·RTprev + RAND·RTprev, capped at MRT (+ RAND·MRT), with RAND uniform in
/// [-0.1, +0.1]; the exchange ends after MRC transmissions or MRD. Pure: the random source is given.
/// </summary>
public sealed class Retransmission(RetransmissionParameters parameters, Func<double> random)
{
    private TimeSpan _previous = TimeSpan.Zero;

    /// <summary>The exchange's parameters; MRT may be changed while it runs (a server's SOL_MAX_RT).</summary>
    public RetransmissionParameters Parameters { get; set; } = parameters;

    /// <summary>Transmissions so far.</summary>
    public int Count { get; private set; }

    /// <summary>Time elapsed in the exchange when the next timeout ends (sum of timeouts).</summary>
    public TimeSpan Elapsed { get; private set; } = TimeSpan.Zero;

    /// <summary>
    /// Records one transmission and returns how long to wait for an answer before the next, or null
    /// when the exchange is over (MRC reached; or MRD reached, in which case the last wait is cut to it).
    /// </summary>
    public TimeSpan? Next()
    {
        RetransmissionParameters parameters = Parameters;
        if (parameters.MaxCount > 0 && Count >= parameters.MaxCount)
        {
            return null;
        }

        if (parameters.MaxDuration > TimeSpan.Zero && Elapsed >= parameters.MaxDuration)
        {
            return null;
        }

        double rand = (random() * 0.2) - 0.1;
        TimeSpan rt;
        if (Count == 0)
        {
            if (parameters.FirstTimeoutAboveInitial)
            {
                rand = Math.Abs(rand);
            }

            rt = parameters.InitialTimeout + (parameters.InitialTimeout * rand);
        }
        else
        {
            rt = (2 * _previous) + (_previous * rand);
        }

        if (parameters.MaxTimeout > TimeSpan.Zero && rt > parameters.MaxTimeout)
        {
            rt = parameters.MaxTimeout + (parameters.MaxTimeout * rand);
        }

        if (parameters.MaxDuration > TimeSpan.Zero && Elapsed + rt > parameters.MaxDuration)
        {
            rt = parameters.MaxDuration - Elapsed;
        }

        Count++;
        _previous = rt;
        Elapsed += rt;
        return rt;
    }
}
