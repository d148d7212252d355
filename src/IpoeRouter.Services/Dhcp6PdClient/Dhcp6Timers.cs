using IpoeRouter.Protocols.Dhcp6;

namespace IpoeRouter.Services.Dhcp6PdClient;

/// <summary>
/// One message type's retransmission parameters (RFC 8415 §15): initial timeout (IRT), maximum
/// timeout (MRT), maximum count (MRC, 0 = unlimited) and maximum duration (MRD, zero = unlimited).
/// </summary>
public sealed record RetransmissionParameters(TimeSpan InitialTimeout, TimeSpan MaxTimeout, int MaxCount, TimeSpan MaxDuration)
{
    /// <summary>True for Solicit: the first timeout must be longer than IRT (RAND is taken positive), so Advertises have time to arrive.</summary>
    public bool FirstTimeoutAboveInitial { get; init; }
}

/// <summary>The transmission and retransmission parameters of RFC 8415 §7.6, keyed by message type.</summary>
public static class Dhcp6Timers
{
    /// <summary>SOL_TIMEOUT 1 s, SOL_MAX_RT 3600 s; no count or duration limit.</summary>
    public static RetransmissionParameters Solicit { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3600), 0, TimeSpan.Zero) { FirstTimeoutAboveInitial = true };

    /// <summary>REQ_TIMEOUT 1 s, REQ_MAX_RT 30 s, REQ_MAX_RC 10.</summary>
    public static RetransmissionParameters Request { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 10, TimeSpan.Zero);

    /// <summary>REN_TIMEOUT 10 s, REN_MAX_RT 600 s; MRD = time until T2 (set per exchange).</summary>
    public static RetransmissionParameters Renew { get; } = new(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(600), 0, TimeSpan.Zero);

    /// <summary>REB_TIMEOUT 10 s, REB_MAX_RT 600 s; MRD = until the valid lifetimes end (set per exchange).</summary>
    public static RetransmissionParameters Rebind { get; } = new(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(600), 0, TimeSpan.Zero);

    /// <summary>REL_TIMEOUT 1 s, REL_MAX_RC 4.</summary>
    public static RetransmissionParameters Release { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.Zero, 4, TimeSpan.Zero);

    /// <summary>INF_TIMEOUT 1 s, INF_MAX_RT 3600 s.</summary>
    public static RetransmissionParameters InformationRequest { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3600), 0, TimeSpan.Zero);

    /// <summary>The parameters of <paramref name="type"/>.</summary>
    public static RetransmissionParameters For(Dhcp6MessageType type) => type switch
    {
        Dhcp6MessageType.Solicit => Solicit,
        Dhcp6MessageType.Request => Request,
        Dhcp6MessageType.Renew => Renew,
        Dhcp6MessageType.Rebind => Rebind,
        Dhcp6MessageType.Release => Release,
        Dhcp6MessageType.InformationRequest => InformationRequest,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no retransmission for this message type"),
    };
}
