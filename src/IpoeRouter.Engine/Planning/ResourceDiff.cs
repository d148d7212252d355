namespace IpoeRouter.Engine.Planning;

/// <summary>
/// One plan item: which object, what happens to it and why, its property changes, and the kernel
/// operations that do it with those that undo them (computed from the observed state).
/// </summary>
public sealed record ResourceDiff(ResourceKind Kind, string Key, DiffOutcome Outcome, IReadOnlyList<PropertyChange> Changes, string Reason)
{
    /// <summary>The document resource this item comes from (<c>interfaces[1]</c>), or null for the engine's own leftovers.</summary>
    public string? Source { get; init; }

    /// <summary>The operations, in order.</summary>
    public IReadOnlyList<KernelOperation> Operations { get; init; } = [];

    /// <summary>The operations that undo <see cref="Operations"/>, in the order to run them.</summary>
    public IReadOnlyList<KernelOperation> Inverse { get; init; } = [];

    /// <summary>True for items that change something.</summary>
    public bool IsActionable => Outcome is DiffOutcome.Create or DiffOutcome.Update or DiffOutcome.Replace or DiffOutcome.Delete;

    /// <summary>One line for logs and -WhatIf: <c>Update link enp1s0: up false -> true (declared up)</c>.</summary>
    public string Summary => PlanItem.Describe(Kind, Key, Outcome, Changes, Reason);

    /// <summary>The item as the control contract carries it (no kernel operations).</summary>
    public PlanItem ToPlanItem() => new(Kind, Key, Outcome, Changes, Reason) { Source = Source };
}
