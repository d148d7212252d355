using System.Text.Json.Serialization;

namespace IpoeRouter.Control;

/// <summary>What a plan item does.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DiffOutcome>))]
public enum DiffOutcome
{
    /// <summary>Already as declared.</summary>
    NoChange,

    /// <summary>Will be created.</summary>
    Create,

    /// <summary>Will be changed in place.</summary>
    Update,

    /// <summary>Will be deleted and created again (a property that cannot change in place).</summary>
    Replace,

    /// <summary>Will be removed.</summary>
    Delete,

    /// <summary>Cannot be planned yet: a binding has no value (no RA seen, no prefix delegated, link missing). Not an error.</summary>
    Pending,
}

/// <summary>What kind of kernel object an item is about.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ResourceKind>))]
public enum ResourceKind
{
    /// <summary>A link's state (up, MTU).</summary>
    Link,

    /// <summary>A tunnel link.</summary>
    Tunnel,

    /// <summary>A kernel parameter.</summary>
    Sysctl,

    /// <summary>An address on a link.</summary>
    Address,

    /// <summary>A route.</summary>
    Route,

    /// <summary>The firewall table inet ipoe.</summary>
    Firewall,
}

/// <summary>One property's change.</summary>
public sealed record PropertyChange(string Path, string? Before, string? After, bool RequiresReplace = false);

/// <summary>
/// One plan item as the cmdlets show it, whether the plan came from the agent or from a direct
/// observe: which object, what happens to it and why, and its property changes.
/// </summary>
public sealed record PlanItem(ResourceKind Kind, string Key, DiffOutcome Outcome, IReadOnlyList<PropertyChange> Changes, string Reason)
{
    /// <summary>The document resource this item comes from (<c>interfaces[1]</c>), or null for the engine's own leftovers.</summary>
    public string? Source { get; init; }

    /// <summary>True for items that change something.</summary>
    [JsonIgnore]
    public bool IsActionable => Outcome is DiffOutcome.Create or DiffOutcome.Update or DiffOutcome.Replace or DiffOutcome.Delete;

    /// <summary>One line for logs and -WhatIf: <c>Update link enp1s0: up false -> true (declared up)</c>.</summary>
    [JsonIgnore]
    public string Summary => Describe(Kind, Key, Outcome, Changes, Reason);

    /// <summary>The one-line form of an item.</summary>
    public static string Describe(ResourceKind kind, string key, DiffOutcome outcome, IReadOnlyList<PropertyChange> changes, string reason) =>
        $"{outcome} {kind.ToString().ToLowerInvariant()} {key}"
        + (changes.Count > 0 ? ": " + string.Join(", ", changes.Select(c => $"{c.Path} {c.Before ?? "(none)"} -> {c.After ?? "(none)"}")) : string.Empty)
        + $" ({reason})";

    /// <inheritdoc/>
    public override string ToString() => Summary;
}
