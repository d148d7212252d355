namespace IpoeRouter.Services.Dhcp4Client;

/// <summary>The client states of RFC 2131 §4.4 (figure 5), with a start and an end.</summary>
public enum Dhcp4ClientState
{
    /// <summary>Not started.</summary>
    Idle,

    /// <summary>No lease: waiting to send DISCOVER (after a NAK, or with a start delay).</summary>
    Init,

    /// <summary>DISCOVER sent, waiting for an OFFER.</summary>
    Selecting,

    /// <summary>REQUEST for an offered address sent, waiting for the ACK.</summary>
    Requesting,

    /// <summary>ACK received for a new address: ARP-probing it (RFC 5227 §2.1) before using it; a conflict sends DECLINE.</summary>
    Probing,

    /// <summary>Holding a lease, waiting for T1.</summary>
    Bound,

    /// <summary>Between T1 and T2: REQUEST unicast to the server that granted the lease.</summary>
    Renewing,

    /// <summary>Between T2 and the lease's end: REQUEST broadcast to any server.</summary>
    Rebinding,

    /// <summary>Started with a saved lease: about to confirm it (RFC 2131 §3.2). Transient: the REQUEST goes out at once and the state becomes <see cref="Rebooting"/>.</summary>
    InitReboot,

    /// <summary>REQUEST for the saved address broadcast, waiting for ACK or NAK.</summary>
    Rebooting,

    /// <summary>Stopped (after a RELEASE, or without one).</summary>
    Stopped,
}
