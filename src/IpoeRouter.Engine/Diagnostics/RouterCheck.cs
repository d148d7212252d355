namespace IpoeRouter.Engine.Diagnostics;

/// <summary>How one check of <c>Test-IpoeRouter</c> came out.</summary>
public enum CheckStatus
{
    /// <summary>Nothing wrong was seen.</summary>
    Pass,

    /// <summary>Worth fixing, but nothing the document needs breaks now (or it may fix itself: DAD still running, a tunnel not probed yet).</summary>
    Warn,

    /// <summary>Breaks something the document needs: fix it.</summary>
    Fail,
}

/// <summary>
/// One line of a router diagnosis (<c>Test-IpoeRouter</c>): which check (a <see cref="RouterChecks"/>
/// id), what it looked at, how it came out, what was seen and what to do.
/// </summary>
/// <param name="Check">The check's stable id.</param>
/// <param name="Status">Pass, Warn or Fail.</param>
/// <param name="Target">What was looked at: a port, a link, a tunnel, a file, the agent.</param>
/// <param name="Evidence">What was seen, with the process and pid, file and line, or value read.</param>
/// <param name="Remedy">What to do, naming the file or command; null on a Pass.</param>
public sealed record RouterCheck(string Check, CheckStatus Status, string Target, string Evidence, string? Remedy)
{
    /// <summary>The process holding a port, when the check is about one (<c>/proc/PID/comm</c>).</summary>
    public string? Process { get; init; }

    /// <summary>Its pid.</summary>
    public int? Pid { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"{Status} {Check} {Target}: {Evidence}{(Remedy is null ? "" : " " + Remedy)}";
}

/// <summary>The stable ids of <c>Test-IpoeRouter</c>'s checks (<see cref="RouterCheck.Check"/>); never renamed or reused.</summary>
public static class RouterChecks
{
    /// <summary>Who holds UDP 546/547/67/68 and TCP/UDP 53 (<see cref="ConflictChecks.PortHeld"/>'s findings, or one Pass).</summary>
    public const string Ports = nameof(Ports);

    /// <summary>systemd-networkd or netplan managing one of the router's links.</summary>
    public const string LinkManager = nameof(LinkManager);

    /// <summary>An interface that should take RAs ignores them: forwarding on with accept_ra below 2, or accept_ra 0.</summary>
    public const string AcceptRa = nameof(AcceptRa);

    /// <summary>Addresses on the router's links that are tentative (DAD running) or lost DAD.</summary>
    public const string AddressState = nameof(AddressState);

    /// <summary>A tunnel whose local address is not configured in the namespace ("Local address not yet configured!").</summary>
    public const string TunnelLocal = nameof(TunnelLocal);

    /// <summary>The hand-built router's cron watchdogs, still installed.</summary>
    public const string Watchdog = nameof(Watchdog);

    /// <summary>ipoe-agent: not running, not answering, not converged.</summary>
    public const string Agent = nameof(Agent);

    /// <summary>A tunnel the agent reports Down, Pending or not probed yet.</summary>
    public const string AgentTunnel = nameof(AgentTunnel);
}
