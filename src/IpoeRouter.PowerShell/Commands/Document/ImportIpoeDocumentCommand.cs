using System.Management.Automation;
using IpoeRouter.Engine;
using IpoeRouter.Engine.Documents;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>
/// Makes the YAML file <c>-Source</c> the router's document (<c>-Path</c>): it is validated first
/// (an invalid file changes nothing), then written in place of the document atomically, byte for
/// byte, comments included. An existing document is replaced only with <c>-Force</c>.
/// </summary>
/// <example>
/// <code>Import-IpoeDocument -Source ./router-new.yaml -Force</code>
/// <para>Validates ./router-new.yaml and makes it the document, comments included; -Force because a document exists already.</para>
/// </example>
/// <example>
/// <code>Import-IpoeDocument -Source ./router-new.yaml -Path ./lab.yaml</code>
/// <para>Creates the document ./lab.yaml from the file; no -Force is needed where no document exists.</para>
/// </example>
[Cmdlet(VerbsData.Import, "IpoeDocument", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(RouterDocument))]
public sealed class ImportIpoeDocumentCommand : DocumentCmdlet
{
    /// <summary>The YAML file to import.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Source { get; set; } = string.Empty;

    /// <summary>Replace the document when one exists already.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Output the imported document.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        string source = GetUnresolvedProviderPathFromPSPath(Source);
        string target = DocumentFile;
        DocumentSnapshot imported;
        try
        {
            imported = DocumentStore.Parse(source, ReadSource(source));
        }
        catch (IpoeException e)
        {
            ThrowTerminating(e);
            return;
        }

        foreach (Diagnostic w in imported.Loaded.Warnings)
        {
            WriteWarning(w.ToString());
        }

        if (File.Exists(target) && !Force)
        {
            WriteError(new IpoeException(EngineErrorIds.DocumentExists, ErrorKind.ResourceExists,
                $"A document exists already at {target}. Add -Force to replace it with {source}.", target));
            return;
        }

        bool written = false;
        bool shown = false;
        string what = $"Replace the document {target} with {source}";
        if (ShouldProcess(what, what + "?", "Confirm", out ShouldProcessReason reason))
        {
            try
            {
                DocumentStore.Install(target, imported);
                written = true;
            }
            catch (IpoeException e)
            {
                ThrowTerminating(e);
            }
        }
        else
        {
            shown = reason == ShouldProcessReason.WhatIf;
        }

        if (PassThru && (written || shown))
        {
            WriteObject(imported.Document);
        }
    }

    private static byte[] ReadSource(string source)
    {
        try
        {
            return File.ReadAllBytes(source);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IpoeException(EngineErrorIds.FileUnavailable, e is FileNotFoundException or DirectoryNotFoundException ? ErrorKind.ObjectNotFound : ErrorKind.ResourceUnavailable,
                $"Cannot read {source}: {e.Message}", source, e);
        }
    }
}
