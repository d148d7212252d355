namespace IpoeRouter.Architecture.Tests;

/// <summary>
/// The one-way dependencies of DESIGN.md and STYLE.md: PowerShell and Agent → Engine →
/// (Model, Linux, Services) → Protocols; the Agent, the composition root, may also use those
/// directly. Linux does not know the Model; Protocols knows nothing
/// of ours; PowerShell never reaches Linux or Services directly.
/// </summary>
public static class DependencyRules
{
    public static IReadOnlyDictionary<string, string[]> Allowed { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["IpoeRouter.Protocols"] = [],
        ["IpoeRouter.Model"] = [],
        ["IpoeRouter.Linux"] = [],
        ["IpoeRouter.Services"] = ["IpoeRouter.Protocols"],
        ["IpoeRouter.Engine"] = ["IpoeRouter.Model", "IpoeRouter.Linux", "IpoeRouter.Services", "IpoeRouter.Protocols"],
        // The agent is the composition root: it wires the engine, the services and the kernel access together.
        ["IpoeRouter.Agent"] = ["IpoeRouter.Engine", "IpoeRouter.Model", "IpoeRouter.Linux", "IpoeRouter.Services", "IpoeRouter.Protocols"],
        ["IpoeRouter.PowerShell"] = ["IpoeRouter.Engine", "IpoeRouter.Model"],
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
