namespace IpoeRouter.Model;

/// <summary>
/// A document that cannot be used. Carries every error found (not only the first), each with
/// its own id and file:line:col; <see cref="IpoeException.ErrorId"/> is the first error's id.
/// </summary>
public sealed class DocumentException : IpoeException
{
    /// <summary>Creates the exception from a non-empty list of errors.</summary>
    public DocumentException(IReadOnlyList<Diagnostic> diagnostics, object? target = null)
        : base(First(diagnostics).Id, First(diagnostics).Kind, Describe(diagnostics), target)
    {
        Diagnostics = diagnostics;
    }

    /// <summary>All diagnostics, errors first, in document order.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>The errors only.</summary>
    public IEnumerable<Diagnostic> Errors => Diagnostics.Where(d => d.Severity == Severity.Error);

    private static Diagnostic First(IReadOnlyList<Diagnostic> diagnostics) =>
        diagnostics.FirstOrDefault(d => d.Severity == Severity.Error)
        ?? throw new ArgumentException("A document exception needs at least one error.", nameof(diagnostics));

    private static string Describe(IReadOnlyList<Diagnostic> diagnostics)
    {
        var errors = diagnostics.Where(d => d.Severity == Severity.Error).ToList();
        return errors.Count == 1
            ? errors[0].ToString()
            : $"{errors.Count} errors:{Environment.NewLine}" + string.Join(Environment.NewLine, errors);
    }
}
