using IpoeRouter.Linux.Rtnl;

namespace IpoeRouter.Engine.Kernel;

/// <summary>What the engine read from the kernel in one observe pass: links, addresses, routes of both families, and the sysctl keys it asked for.</summary>
public sealed record KernelSnapshot(
    IReadOnlyList<LinkInfo> Links,
    IReadOnlyList<AddressInfo> Addresses,
    IReadOnlyList<RouteInfo> Routes,
    IReadOnlyDictionary<string, string?> Sysctl)
{
    /// <summary>The table inet ipoe and the record of the engine's last apply of it.</summary>
    public Firewall.FirewallObservation Firewall { get; init; } = IpoeRouter.Engine.Firewall.FirewallObservation.Absent;

    /// <summary>Whether the kernel can make ip6tnl links (<see cref="KernelModules.Ip6TunnelAvailable"/>); assumed so unless the observer found otherwise.</summary>
    public bool Ip6TunnelAvailable { get; init; } = true;

    /// <summary>
    /// The user-space B4s this process carries, by tunnel name (their TUN links are among
    /// <see cref="Links"/>), or null where no B4 can be carried: without ipoe-agent.
    /// </summary>
    public IReadOnlyDictionary<string, UserspaceTunnelState>? UserspaceTunnels { get; init; }

    private Dictionary<string, LinkInfo>? _byName;
    private Dictionary<int, LinkInfo>? _byIndex;

    /// <summary>The copy a <c>with</c> expression makes: the values, not the indexes built from the old ones.</summary>
    private KernelSnapshot(KernelSnapshot original)
    {
        ArgumentNullException.ThrowIfNull(original);
        Links = original.Links;
        Addresses = original.Addresses;
        Routes = original.Routes;
        Sysctl = original.Sysctl;
        Firewall = original.Firewall;
        Ip6TunnelAvailable = original.Ip6TunnelAvailable;
        UserspaceTunnels = original.UserspaceTunnels;
    }

    /// <summary>The link named <paramref name="name"/>, or null.</summary>
    public LinkInfo? Link(string name) => (_byName ??= Links.GroupBy(l => l.Name).ToDictionary(g => g.Key, g => g.First())).GetValueOrDefault(name);

    /// <summary>The link with <paramref name="index"/>, or null.</summary>
    public LinkInfo? Link(int index) => (_byIndex ??= Links.ToDictionary(l => l.Index)).GetValueOrDefault(index);
}
