using System.Net;

namespace IpoeRouter.Engine.Tunnels;

/// <summary>What a tunnel's health probes have shown.</summary>
public enum TunnelHealthState
{
    /// <summary>Not probed yet (or the tunnel has no path to probe).</summary>
    Unknown,

    /// <summary>The last probe through the tunnel answered.</summary>
    Up,

    /// <summary><see cref="TunnelHealth.FailuresForDown"/> probes in a row went unanswered; the router keeps probing.</summary>
    Down,
}

/// <summary>
/// One tunnel's health, from the probes sent through it (pure: the prober sends, this decides). The
/// target is the one the document names, else the AFTR's RFC 6333 address 192.0.0.1 across the tunnel
/// — until it has been tried a few times without ever answering (not every AFTR answers it), then
/// the AFTR's IPv6 address, which shows at least that the AFTR is reachable. Probes come every
/// <see cref="UpInterval"/> while up, more often while down or unknown, so a returning AFTR is seen soon.
/// </summary>
public sealed class TunnelHealth
{
    /// <summary>Unanswered probes in a row that make an up (or unknown) tunnel down.</summary>
    public const int FailuresForDown = 3;

    /// <summary>How often an up tunnel is probed unless told otherwise.</summary>
    public static readonly TimeSpan DefaultUpInterval = TimeSpan.FromSeconds(30);

    /// <summary>How often a down or unknown tunnel is probed at most.</summary>
    public static readonly TimeSpan DefaultRetryInterval = TimeSpan.FromSeconds(5);

    /// <summary>Creates the health of one tunnel, probed every <paramref name="upInterval"/> while up (default 30 s).</summary>
    public TunnelHealth(TimeSpan? upInterval = null)
    {
        UpInterval = upInterval ?? DefaultUpInterval;
        RetryInterval = UpInterval < DefaultRetryInterval ? UpInterval : DefaultRetryInterval;
    }

    /// <summary>How often an up tunnel is probed.</summary>
    public TimeSpan UpInterval { get; }

    /// <summary>How often a down or unknown tunnel is probed.</summary>
    public TimeSpan RetryInterval { get; }

    private int _failures;
    private int _wellKnownTries;
    private bool _wellKnownAnswered;

    /// <summary>The current state.</summary>
    public TunnelHealthState State { get; private set; } = TunnelHealthState.Unknown;

    /// <summary>When <see cref="State"/> last changed.</summary>
    public DateTimeOffset? Since { get; private set; }

    /// <summary>When the next probe is due.</summary>
    public DateTimeOffset NextAt { get; private set; } = DateTimeOffset.MinValue;

    /// <summary>The last answered probe's round trip.</summary>
    public TimeSpan? LastRoundTrip { get; private set; }

    /// <summary>The last failure, in words.</summary>
    public string? LastError { get; private set; }

    /// <summary>The target the last probe went to.</summary>
    public IPAddress? LastTarget { get; private set; }

    /// <summary>The address to probe now: <paramref name="declared"/>, else 192.0.0.1 while it may answer, else <paramref name="aftr"/>.</summary>
    public IPAddress? Target(IPAddress? declared, IPAddress? aftr) =>
        declared ?? (_wellKnownAnswered || _wellKnownTries < FailuresForDown || aftr is null ? Model.Tunnel.AftrWellKnown : aftr);

    /// <summary>Records an answer from <paramref name="target"/>; returns true when the state changed.</summary>
    public bool Answered(IPAddress target, TimeSpan roundTrip, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(target);
        LastTarget = target;
        LastRoundTrip = roundTrip;
        _failures = 0;
        if (target.Equals(Model.Tunnel.AftrWellKnown))
        {
            _wellKnownAnswered = true;
        }

        NextAt = now + UpInterval;
        return Move(TunnelHealthState.Up, now);
    }

    /// <summary>Records a probe of <paramref name="target"/> that went unanswered (or could not be sent); returns true when the state changed.</summary>
    public bool Failed(IPAddress target, string why, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(target);
        LastTarget = target;
        LastError = why;
        if (target.Equals(Model.Tunnel.AftrWellKnown) && !_wellKnownAnswered)
        {
            _wellKnownTries++;
        }

        _failures++;
        NextAt = now + RetryInterval;
        return _failures >= FailuresForDown && Move(TunnelHealthState.Down, now);
    }

    /// <summary>The tunnel's path changed (a new local or AFTR): probe again soon, keeping the state until the probes say otherwise.</summary>
    public void PathChanged(DateTimeOffset now)
    {
        _failures = 0;
        NextAt = now;
    }

    /// <summary>No path to probe (the tunnel is pending): back to unknown.</summary>
    public bool NoPath(DateTimeOffset now)
    {
        _failures = 0;
        NextAt = now + RetryInterval;
        return Move(TunnelHealthState.Unknown, now);
    }

    private bool Move(TunnelHealthState to, DateTimeOffset now)
    {
        if (State == to)
        {
            return false;
        }

        State = to;
        Since = now;
        return true;
    }
}
