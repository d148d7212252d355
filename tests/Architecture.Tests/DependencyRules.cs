namespace IpoeRouter.Architecture.Tests;

/// <summary>
/// The one-way dependencies of DESIGN.md and STYLE.md: PowerShell and Agent → Engine →
/// (Model, Linux, Services) → Protocols, and the control contract (Control) that the module and the
/// agent share. Linux does not know the Model; Protocols knows nothing of ours; PowerShell never
/// reaches Linux or Services directly; the Agent is the composition root that hosts the services.
/// </summary>
public static class DependencyRules
{
    public static IReadOnlyDictionary<string, string[]> Allowed { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["IpoeRouter.Protocols"] = [],
        ["IpoeRouter.Model"] = [],
        ["IpoeRouter.Linux"] = [],
        // The DS-Lite B4 pump moves packets between a TUN device and a raw socket, both Linux's.
        ["IpoeRouter.Services"] = ["IpoeRouter.Protocols", "IpoeRouter.Linux"],
        ["IpoeRouter.Control"] = ["IpoeRouter.Model"],
        ["IpoeRouter.Engine"] = ["IpoeRouter.Model", "IpoeRouter.Linux", "IpoeRouter.Services", "IpoeRouter.Protocols", "IpoeRouter.Control"],
        // The composition root: it hosts the services, so it reaches their layers.
        ["IpoeRouter.Agent"] = ["IpoeRouter.Engine", "IpoeRouter.Model", "IpoeRouter.Control", "IpoeRouter.Linux", "IpoeRouter.Services", "IpoeRouter.Protocols"],
        ["IpoeRouter.PowerShell"] = ["IpoeRouter.Engine", "IpoeRouter.Model", "IpoeRouter.Control"],
    };

    /// <summary>Every reference of <paramref name="project"/> that the rules forbid, as readable lines.</summary>
    public static IEnumerable<string> Violations(string project, IEnumerable<string> references)
    {
        if (!Allowed.TryGetValue(project, out string[]? allowed))
        {
            yield return $"{project} is not in the dependency rules; add it to DependencyRules.Allowed.";
            yield break;
        }

        foreach (string reference in references.Where(r => r.StartsWith("IpoeRouter.", StringComparison.Ordinal)))
        {
            if (!allowed.Contains(reference))
            {
                yield return $"{project} must not reference {reference} (allowed: {(allowed.Length == 0 ? "none of ours" : string.Join(", ", allowed))}).";
            }
        }
    }
}
