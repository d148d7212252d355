namespace IpoeRouter.Engine.Diagnostics;

/// <summary>
/// What systemd-networkd says about a link in <c>/run/systemd/netif/links/IFINDEX</c>: its
/// <c>ADMIN_STATE</c> (<c>pending</c>, <c>initialized</c>, <c>configuring</c>, <c>configured</c>,
/// <c>unmanaged</c>, <c>failed</c>, <c>linger</c>) and the <c>.network</c> file that matched it, if any.
/// </summary>
public sealed record NetworkdLinkState(int Index, string AdminState, string? NetworkFile)
{
    /// <summary>True when networkd configures (or tried to configure) the link.</summary>
    public bool IsManaged => AdminState is "configuring" or "configured" or "failed";

    /// <summary>True while networkd has not decided yet whether a <c>.network</c> file matches.</summary>
    public bool IsUndecided => AdminState is "pending" or "initialized";
}
