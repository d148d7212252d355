using System.Management.Automation;
using IpoeRouter.Engine;
using IpoeRouter.Engine.Documents;
using IpoeRouter.Model;
using IpoeRouter.Model.Yaml;

namespace IpoeRouter.Commands;

/// <summary>
/// Writes the router's document (<c>-Path</c>) out in canonical form: to the file <c>-Destination</c>,
/// else as text on the pipeline. An existing file is overwritten only with <c>-Force</c>. With
/// <c>-Live</c> the running system is read out as a document instead.
/// </summary>
/// <example>
/// <code>Export-IpoeDocument -Destination ./router-backup.yaml</code>
/// <para>Writes the document in canonical form to a new file; an existing one is overwritten only with -Force.</para>
/// </example>
/// <example>
/// <code>Export-IpoeDocument -Path ./router-new.yaml</code>
/// <para>Outputs the document ./router-new.yaml as canonical YAML text.</para>
/// </example>
/// <example>
/// <code>Export-IpoeDocument -Live -Destination ./live.yaml</code>
/// <para>Needs root: it reads the kernel.</para>
/// <para>Reads the running system out as a document into ./live.yaml.</para>
/// </example>
[Cmdlet(VerbsData.Export, "IpoeDocument", SupportsShouldProcess = true)]
[OutputType(typeof(string))]
public sealed class ExportIpoeDocumentCommand : DocumentCmdlet
{
    /// <summary>The file to write the document to; without it the YAML text is output.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Destination { get; set; }

    /// <summary>Refuse to overwrite an existing file even with -Force.</summary>
    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    /// <summary>Read the live system out as a document instead of exporting the document on disk (root).</summary>
    [Parameter]
    public SwitchParameter Live { get; set; }

    /// <summary>With -Live: a network namespace made with <c>ip netns add</c> to read instead of the host's.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Namespace { get; set; }

    /// <summary>Overwrite an existing file, the document being exported included (which rewrites it in canonical form, without its comments).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        string source = Live ? $"the live system{(Namespace is null ? string.Empty : $" (namespace {Namespace})")}" : DocumentFile;
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

        if (Destination is null)
        {
            WriteObject(DocumentWriter.Write(document));
            return;
        }

        string target = GetUnresolvedProviderPathFromPSPath(Destination);
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

        if (File.Exists(target) && !Force)
        {
            WriteError(new IpoeException(EngineErrorIds.DestinationExists, ErrorKind.ResourceExists,
                $"{target} exists already. Add -Force to overwrite it.", target));
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
