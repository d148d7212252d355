using System.Management.Automation;
using IpoeRouter.Engine;
using IpoeRouter.Engine.Documents;
using IpoeRouter.Model;
using IpoeRouter.Model.Yaml;

namespace IpoeRouter.Commands;

/// <summary>
/// Writes the router's document out in canonical form: to a file with <c>-Path</c>, else as text
/// on the pipeline. (Reading the live system out as a document comes with the reconciler.)
/// </summary>
[Cmdlet(VerbsData.Export, "IpoeDocument", SupportsShouldProcess = true)]
[OutputType(typeof(string))]
public sealed class ExportIpoeDocumentCommand : IpoeCmdlet
{
    /// <summary>The file to write; without it the YAML text is output.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>The router's document to export; default <c>$env:IPOE_DOCUMENT</c>, else <c>/etc/ipoe/router.yaml</c>.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? DocumentPath { get; set; }

    /// <summary>Refuse to overwrite an existing file.</summary>
    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    /// <summary>Read the live system out as a document instead of exporting the document on disk (root).</summary>
    [Parameter]
    public SwitchParameter Live { get; set; }

    /// <summary>With -Live: a network namespace made with <c>ip netns add</c> to read instead of the host's.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Namespace { get; set; }

    /// <summary>Allow writing over the document being exported (rewriting it in canonical form, without its comments).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        string source = Live ? $"the live system{(Namespace is null ? string.Empty : $" (namespace {Namespace})")}" : GetUnresolvedProviderPathFromPSPath(DocumentStore.ResolvePath(DocumentPath));
        RouterDocument document;
        try
        {
            document = Live ? ReadLive() : DocumentStore.Load(source).Document;
        }
        catch (IpoeException e)
        {
            ThrowTerminating(e);
            return;
        }

        if (Path is null)
        {
            WriteObject(DocumentWriter.Write(document));
            return;
        }

        string target = GetUnresolvedProviderPathFromPSPath(Path);
        if (NoClobber && File.Exists(target))
        {
            WriteError(new IpoeException(EngineErrorIds.FileUnavailable, ErrorKind.ResourceExists, $"{target} exists and -NoClobber was given.", target));
            return;
        }

        if (!Live && AtomicFile.ResolveTarget(target) == AtomicFile.ResolveTarget(source) && !Force)
        {
            WriteError(new IpoeException(EngineErrorIds.FileUnavailable, ErrorKind.InvalidOperation,
                $"{target} is the document being exported; writing it would rewrite it in canonical form and drop its comments. Add -Force to do that.", target));
            return;
        }

        string what = $"Export the document {source} to {target}";
        if (ShouldProcess(what, what + "?", "Confirm"))
        {
            try
            {
                DocumentStore.SaveAs(target, document);
            }
            catch (IpoeException e)
            {
                WriteError(e);
            }
        }
    }

    private RouterDocument ReadLive()
    {
        RequireRoot();
        using var kernel = Engine.Kernel.NetlinkKernel.Open(Namespace);
        RouterDocument live = Engine.Kernel.LiveExporter.Export(kernel);
        foreach (Diagnostic d in Model.Validation.DocumentValidator.Validate(live).Diagnostics)
        {
            WriteWarning($"The live state does not make a valid document as it is: {d}");
        }

        return live;
    }
}
