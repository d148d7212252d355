using IpoeRouter.Linux.Rtnl;

namespace IpoeRouter.Engine.Kernel;

/// <summary>What the engine read from the kernel in one observe pass: links, addresses, routes of both families, and the sysctl keys it asked for.</summary>
public sealed record KernelSnapshot(
    IReadOnlyList<LinkInfo> Links,
    IReadOnlyList<AddressInfo> Addresses,
    IReadOnlyList<RouteInfo> Routes,
    IReadOnlyDictionary<string, string?> Sysctl)
{
    /// <summary>The link named <paramref name="name"/>, or null.</summary>
    public LinkInfo? Link(string name) => Links.FirstOrDefault(l => l.Name == name);

    /// <summary>The link with <paramref name="index"/>, or null.</summary>
    public LinkInfo? Link(int index) => Links.FirstOrDefault(l => l.Index == index);
}
