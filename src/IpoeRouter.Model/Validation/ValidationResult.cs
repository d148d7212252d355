namespace IpoeRouter.Model.Validation;

/// <summary>
/// What validation concluded: the diagnostics, and the effective document — the declared one with
/// the corrections the warnings describe applied (what the engine converges to).
/// </summary>
public sealed record ValidationResult(RouterDocument Declared, RouterDocument Effective, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>True when nothing stops the document from being used.</summary>
    public bool IsValid => !Diagnostics.Any(d => d.Severity == Severity.Error);

    /// <summary>The errors.</summary>
    public IEnumerable<Diagnostic> Errors => Diagnostics.Where(d => d.Severity == Severity.Error);

    /// <summary>The warnings.</summary>
    public IEnumerable<Diagnostic> Warnings => Diagnostics.Where(d => d.Severity == Severity.Warning);
}
