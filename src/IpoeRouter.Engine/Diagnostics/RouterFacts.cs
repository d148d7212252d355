using System.Net;
using IpoeRouter.Control;
using IpoeRouter.Linux.Rtnl;

namespace IpoeRouter.Engine.Diagnostics;

/// <summary>One of the document's interfaces as the kernel has it.</summary>
/// <param name="Name">The interface.</param>
/// <param name="Index">Its ifindex, 0 when the link does not exist.</param>
/// <param name="IsUp">Administratively up.</param>
/// <param name="TakesRouterAdvertisements">The document wants it to take RAs (the WAN, or <c>acceptRa: true</c>).</param>
/// <param name="Forwarding"><c>net/ipv6/conf/NAME/forwarding</c>, null when it could not be read.</param>
/// <param name="AcceptRa"><c>net/ipv6/conf/NAME/accept_ra</c>, null when it could not be read.</param>
public sealed record LinkFacts(string Name, int Index, bool IsUp, bool TakesRouterAdvertisements, string? Forwarding, string? AcceptRa);

/// <summary>One of the document's tunnels as the kernel has it.</summary>
/// <param name="Name">The tunnel's link.</param>
/// <param name="Kind">The link's kind (<c>ip6tnl</c>, <c>tun</c> for the user-space B4), null when the link does not exist.</param>
/// <param name="Local">An ip6tnl link's local address (<c>::</c> when none is set), null for other kinds.</param>
public sealed record TunnelFacts(string Name, string? Kind, IPAddress? Local);

/// <summary>A text file the diagnosis read (a crontab, a netplan file), by its path.</summary>
public sealed record ConfigFile(string Path, string Text);

/// <summary>
/// The agent serving the router, as the diagnosis found it: its pid from the registry (null when none
/// is registered), its status, or why the status could not be had.
/// </summary>
public sealed record AgentFacts(int? Pid, RouterStatus? Status, string? Error)
{
    /// <summary>No agent serves the router.</summary>
    public static AgentFacts None { get; } = new(null, null, null);
}

/// <summary>
/// Everything <see cref="RouterCheckScan"/> decides from, gathered by <see cref="RouterProbe"/> (or written by a test).
/// </summary>
/// <param name="Conflicts">Port holders, networkd's link states, running known programs.</param>
/// <param name="Links">The document's interfaces.</param>
/// <param name="Addresses">Every address in the namespace, with its flags.</param>
/// <param name="Tunnels">The document's tunnels.</param>
/// <param name="Netplan">The netplan files (<c>/etc/netplan/*.yaml</c>; none in another namespace).</param>
/// <param name="Crontabs">The crontabs: /etc/crontab, /etc/cron.d/*, root's.</param>
/// <param name="WatchdogScripts">Watchdog scripts found on disk (<see cref="RouterCheckScan.WatchdogNames"/>), by path.</param>
/// <param name="Agent">The agent serving the router.</param>
public sealed record RouterFacts(
    ConflictFacts Conflicts,
    IReadOnlyList<LinkFacts> Links,
    IReadOnlyList<AddressInfo> Addresses,
    IReadOnlyList<TunnelFacts> Tunnels,
    IReadOnlyList<ConfigFile> Netplan,
    IReadOnlyList<ConfigFile> Crontabs,
    IReadOnlyList<string> WatchdogScripts,
    AgentFacts Agent);
