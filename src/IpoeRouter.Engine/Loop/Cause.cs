namespace IpoeRouter.Engine.Loop;

/// <summary>What can start a reconcile pass. A pass is never started by a clock alone, except the resync (for what has no events).</summary>
public enum CauseKind
{
    /// <summary>The agent started: the first pass.</summary>
    Start,

    /// <summary>A link appeared, went, or changed state (rtnetlink).</summary>
    Link,

    /// <summary>An address was added, removed, or its lifetimes changed (rtnetlink).</summary>
    Address,

    /// <summary>A main-table route was added or removed, the RA's default route included (rtnetlink).</summary>
    Route,

    /// <summary>The nftables ruleset changed (its generation moved) by someone other than this engine.</summary>
    Firewall,

    /// <summary>The document was replaced on disk, or a reload was asked for (SIGHUP, the control socket).</summary>
    Document,

    /// <summary>A service's facts changed: a delegation, a WAN DHCPv4 lease, the WAN's RDNSS.</summary>
    Lease,

    /// <summary>A cmdlet asked for a pass through the control socket.</summary>
    Control,

    /// <summary>An apply waiting for confirmation reached its deadline, or was confirmed or undone.</summary>
    Confirmation,

    /// <summary>Items pending or a failed pass asked to be tried again.</summary>
    Retry,

    /// <summary>The periodic resync, for what has no events (sysctl).</summary>
    Resync,

    /// <summary>Events were lost (a netlink receive buffer overflowed): everything is read again.</summary>
    Overflow,

    /// <summary>A name the document binds to resolved to another address (the AFTR's FQDN or AFTR-Name).</summary>
    Resolution,
}

/// <summary>One cause: its kind, what it was (for the log and the status), and when it arrived (engine time starts there).</summary>
/// <param name="Kind">The kind.</param>
/// <param name="Detail">What it was, e.g. <c>address 2001:db8::1/64 deleted on wan0</c>.</param>
/// <param name="ArrivedAt">When it arrived (the loop's clock).</param>
public sealed record Cause(CauseKind Kind, string Detail, DateTimeOffset ArrivedAt)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()}: {Detail}";
}
