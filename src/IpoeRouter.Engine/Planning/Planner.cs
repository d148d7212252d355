using IpoeRouter.Engine.Kernel;
using IpoeRouter.Linux.Rtnl;
using IpoeRouter.Model;

namespace IpoeRouter.Engine.Planning;

/// <summary>
/// Compares the effective document (with runtime facts for its bindings) to an observed kernel
/// snapshot and produces the ordered plan. Pure: no I/O, no clock. Only what the document declares
/// is compared, and only the engine's own objects (route and address protocol 233) are ever removed
/// without being declared.
/// </summary>
public sealed partial class Planner
{
    private readonly RouterDocument _doc;
    private readonly RuntimeFacts _facts;
    private readonly KernelSnapshot _kernel;

    private readonly List<ResourceDiff> _tunnelsUp = [];
    private readonly List<ResourceDiff> _links = [];
    private readonly List<ResourceDiff> _sysctl = [];
    private readonly List<ResourceDiff> _firewall = [];
    private readonly List<ResourceDiff> _addresses = [];
    private readonly List<ResourceDiff> _routeRemovals = [];
    private readonly List<ResourceDiff> _routes = [];
    private readonly List<ResourceDiff> _addressRemovals = [];
    private readonly List<ResourceDiff> _tunnelsDown = [];

    private Planner(RouterDocument doc, RuntimeFacts facts, KernelSnapshot kernel)
    {
        _doc = doc;
        _facts = facts;
        _kernel = kernel;
    }

    /// <summary>The plan that takes <paramref name="observed"/> to <paramref name="effective"/>.</summary>
    public static Plan Build(RouterDocument effective, RuntimeFacts facts, KernelSnapshot observed)
    {
        var p = new Planner(effective, facts, observed);
        p.PlanTunnels();
        p.PlanLinks();
        p.PlanSysctl();
        p.PlanFirewall();
        p.PlanAddresses();
        p.PlanRoutes();
        return new Plan([.. p._tunnelsUp, .. p._links, .. p._sysctl, .. p._firewall, .. p._addresses, .. p._routeRemovals, .. p._routes, .. p._addressRemovals, .. p._tunnelsDown]);
    }

    /// <summary>The sysctl keys (paths below /proc/sys) the planner needs observed for <paramref name="effective"/>.</summary>
    public static IReadOnlyCollection<string> SysctlPathsFor(RouterDocument effective) =>
        DesiredSysctl(effective).Select(s => s.ProcPath).Distinct().ToList();

    private static ResourceDiff Pending(ResourceKind kind, string key, string source, string reason) =>
        new(kind, key, DiffOutcome.Pending, [], reason) { Source = source };

    private static ResourceDiff NoChange(ResourceKind kind, string key, string source, string reason) =>
        new(kind, key, DiffOutcome.NoChange, [], reason) { Source = source };

    private static string Device(LinkInfo? link, int index) => link?.Name ?? $"#{index}";
}
