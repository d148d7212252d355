namespace IpoeRouter.Engine.Diagnostics;

/// <summary>The stable ids of the conflict checks (<see cref="ConflictFinding.Check"/>). Part of the contract: never renamed or reused.</summary>
public static class ConflictChecks
{
    /// <summary>Another program has a socket on a port an embedded service uses (DHCPv6 546/547, DHCPv4 67/68, DNS 53).</summary>
    public const string PortHeld = nameof(PortHeld);

    /// <summary>systemd-networkd manages one of the router's links (its state file says so): it would fight the agent over addresses and accept_ra.</summary>
    public const string NetworkdManagesLink = nameof(NetworkdManagesLink);

    /// <summary>systemd-networkd runs and has not (yet) said whether it manages one of the router's links.</summary>
    public const string NetworkdMayManageLink = nameof(NetworkdMayManageLink);
}
