using System.Management.Automation;
using IpoeRouter.Engine.Documents;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>
/// Checks a document without changing anything: writes each error as its own error record (id =
/// the diagnostic id, target = file:line:col), each warning as a warning, and returns whether the
/// document can be used (or, with <c>-Detailed</c>, every finding as an object).
/// </summary>
/// <example>
/// <code>Test-IpoeDocument</code>
/// <para>Outputs $true when the document is valid; otherwise $false, with each problem as an error.</para>
/// </example>
/// <example>
/// <code>Test-IpoeDocument -Path ./router-new.yaml -Detailed</code>
/// <para>Checks another file before importing it and outputs its errors and warnings as an object.</para>
/// </example>
[Cmdlet(VerbsDiagnostic.Test, "IpoeDocument")]
[OutputType(typeof(bool), typeof(DocumentTestResult))]
public sealed class TestIpoeDocumentCommand : IpoeCmdlet
{
    /// <summary>The document to test; default <c>$env:IPOE_DOCUMENT</c>, else <c>/etc/ipoe/router.yaml</c>.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("DocumentPath", "FullName")]
    public string? Path { get; set; }

    /// <summary>Return a result object with every error and warning instead of true/false.</summary>
    [Parameter]
    public SwitchParameter Detailed { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        string file = GetUnresolvedProviderPathFromPSPath(DocumentStore.ResolvePath(Path));
        IReadOnlyList<Diagnostic> errors = [];
        IReadOnlyList<Diagnostic> warnings = [];
        IpoeException? failure = null;
        try
        {
            warnings = DocumentStore.Load(file).Loaded.Warnings;
        }
        catch (DocumentException e)
        {
            errors = e.Errors.ToList();
            warnings = e.Diagnostics.Where(d => d.Severity == Severity.Warning).ToList();
        }
        catch (IpoeException e)
        {
            failure = e; // not a document problem (missing, unreadable): reported as it is, cause kept
            errors = [Diagnostic.Error(e.ErrorId, e.Kind, string.Empty, e.Message)];
        }

        foreach (Diagnostic d in errors)
        {
            IpoeException exception = failure ?? new IpoeException(d.Id, d.Kind, d.ToString(), d.Location);
            WriteError(new ErrorRecord(exception, d.Id, CategoryOf(d.Kind), d.Location?.ToString() ?? file));
        }

        foreach (Diagnostic w in warnings)
        {
            WriteWarning(w.ToString());
        }

        WriteObject(Detailed ? new DocumentTestResult(file, errors.Count == 0, errors, warnings) : errors.Count == 0);
    }
}
