using IpoeRouter.Linux.Netlink;

namespace IpoeRouter.Agent;

/// <summary>How the agent runs: where the document and the state are, in which namespace, on which clock, how often it resyncs.</summary>
internal sealed record AgentOptions(string DocumentPath, string StateDirectory, string RunDirectory)
{
    /// <summary>Where persisted state lives unless <c>$IPOE_STATE_DIR</c> says otherwise.</summary>
    public const string DefaultStateDirectory = "/var/lib/ipoe";

    /// <summary>The state directory in effect: <c>$IPOE_STATE_DIR</c>, else <see cref="DefaultStateDirectory"/>.</summary>
    public static string StateDirectoryFromEnvironment() =>
        Environment.GetEnvironmentVariable("IPOE_STATE_DIR") is { Length: > 0 } d ? d : DefaultStateDirectory;

    /// <summary>The namespace whose kernel and links are the router's (the caller's by default).</summary>
    public NetworkNamespace Namespace { get; init; } = NetworkNamespace.Current;

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where log lines go.</summary>
    public Action<string> Log { get; init; } = Console.Error.WriteLine;

    /// <summary>Whether stopping releases the delegations (false: a restart Rebinds and keeps the prefix).</summary>
    public bool ReleaseOnStop { get; init; }

    /// <summary>MaxRtrAdvInterval (RFC 4861 §6.2.1: 600 s unless set; MinRtrAdvInterval is a third of it).</summary>
    public TimeSpan? RaMaxInterval { get; init; }

    /// <summary>How long to wait for an interface's link-local address to finish DAD before its services start anyway.</summary>
    public TimeSpan LinkLocalWait { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The periodic pass for what has no events (sysctl).</summary>
    public TimeSpan ResyncInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a tunnel that is up is probed (a down one: every 5 s, or this when shorter).</summary>
    public TimeSpan TunnelProbeInterval { get; init; } = Engine.Tunnels.TunnelHealth.DefaultUpInterval;

    /// <summary>After the first cause of a burst, how long to wait for the rest of it.</summary>
    public TimeSpan SettleWindow { get; init; } = TimeSpan.FromMilliseconds(15);

    /// <summary>How often the loop must say it is alive (half the systemd watchdog), null without a watchdog.</summary>
    public TimeSpan? HeartbeatInterval { get; init; }

    /// <summary>Called on every wake of the reconcile loop (the systemd watchdog).</summary>
    public Action? Alive { get; init; }

    /// <summary>Called after every pass with a one-line status (systemd's STATUS=).</summary>
    public Action<string>? PassStatus { get; init; }
}
