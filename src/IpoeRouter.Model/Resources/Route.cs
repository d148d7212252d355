using System.Net;

namespace IpoeRouter.Model;

/// <summary>
/// A static route (YAML <c>routes</c>), keyed by its destination. Routes the engine installs are
/// marked with its own route protocol so that it never removes one it did not make.
/// </summary>
public sealed record Route(IPNetwork Destination)
{
    /// <summary>The next hop; null for a device route.</summary>
    public IPAddress? Gateway { get; init; }

    /// <summary>The outgoing interface or tunnel.</summary>
    public string? Interface { get; init; }

    /// <summary>The route metric.</summary>
    public int? Metric { get; init; }

    /// <summary>False asks for the route to be absent.</summary>
    public bool Exist { get; init; } = true;

    /// <summary>The key: the destination prefix in canonical text.</summary>
    public string Key => PrefixMath.Format(Destination);
}
