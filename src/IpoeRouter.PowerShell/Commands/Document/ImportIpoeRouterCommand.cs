using System.Management.Automation;
using IpoeRouter.Engine;
using IpoeRouter.Engine.Documents;
using IpoeRouter.Engine.Import;
using IpoeRouter.Model;
using IpoeRouter.Model.Import;
using IpoeRouter.Model.Yaml;

namespace IpoeRouter.Commands;

/// <summary>
/// Reads a hand-built router (netplan, wide-dhcpv6-client, dnsmasq, sysctl, ip6tables and its cron
/// watchdogs) from a folder into one router document, and outputs what became of every line of
/// every file read: imported, absorbed (with what), not expressible (why), or comment/blank, with
/// file:line. Hard-coded IPv6 addresses become bindings (the tunnel's local end follows the WAN).
/// The folder is laid out like /etc (netplan/, dnsmasq.d/, wide-dhcpv6/, default/, sysctl.d/,
/// network/ip6tables.conf, crontab) or flat with the directory folded into the name
/// (netplan-01-netcfg.yaml, dnsmasq.d-00.ipv4.conf, default-wide-dhcpv6-client). The document is
/// validated as a whole before it is written, atomically; an existing document is replaced only
/// with -Force.
/// </summary>
/// <example>
/// <code>Import-IpoeRouter -Source ./legacy -Path ./imported.yaml -Exclude netplan-01-netcfg-focal.yaml | Where-Object Outcome -ne CommentOrBlank</code>
/// <para>Writes ./imported.yaml from a hand-built router's files (here the seed router's: its 18.04 netplan, not its 20.04 copy) and lists what each line became.</para>
/// </example>
/// <example>
/// <code>Import-IpoeRouter -Source /etc -Path ./from-etc.yaml -WhatIf | Where-Object Outcome -eq NotExpressible</code>
/// <para>Needs root (some of /etc is readable by root only). Reads this machine's own configuration and shows the lines the document cannot express; nothing is written.</para>
/// </example>
[Cmdlet(VerbsData.Import, "IpoeRouter", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(AccountedLine))]
public sealed class ImportIpoeRouterCommand : IpoeCmdlet
{
    /// <summary>The folder holding the old router's files.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Source { get; set; } = string.Empty;

    /// <summary>The document to write; default <c>$env:IPOE_DOCUMENT</c>, else <c>/etc/ipoe/router.yaml</c>.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Files to leave out, by path relative to the folder or file name; wildcards allowed (e.g. one of two versions of a netplan file).</summary>
    [Parameter]
    [ValidateNotNull]
    public string[] Exclude { get; set; } = [];

    /// <summary>Replace an existing document.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        string folder = GetUnresolvedProviderPathFromPSPath(Source);
        string target = GetUnresolvedProviderPathFromPSPath(DocumentStore.ResolvePath(Path));
        if (File.Exists(target) && !Force)
        {
            ThrowTerminating(new IpoeException(EngineErrorIds.DocumentExists, ErrorKind.ResourceExists,
                $"{target} exists; an import writes a whole new document. Add -Force to replace it.", target));
            return;
        }

        RouterImport import;
        LoadedDocument checkedDoc;
        try
        {
            LegacyFolderReader.Result read = LegacyFolderReader.Read(folder, IsExcluded);
            foreach (string skipped in read.Skipped)
            {
                WriteVerbose($"Not read: {skipped} (excluded, or not a file the import knows).");
            }

            import = RouterImporter.Import(read.Sources);
            checkedDoc = DocumentStore.Check(import.Document, target);
        }
        catch (IpoeException e)
        {
            ThrowTerminating(e);
            return;
        }

        foreach (AccountedLine problem in import.Problems)
        {
            WriteWarning($"{problem.Location}: not expressible: {problem.Detail}");
        }

        foreach (string warning in import.Warnings)
        {
            WriteWarning(warning);
        }

        foreach (Diagnostic warning in checkedDoc.Warnings)
        {
            WriteWarning($"{warning.Id}: {warning.Message} (at {warning.Path})");
        }

        string what = $"Write the document {target} imported from {folder} ({import.Lines.Select(l => l.Source).Distinct().Count()} files: {import.Count(ImportOutcome.Imported)} lines imported, {import.Count(ImportOutcome.Absorbed)} absorbed, {import.Problems.Count()} not expressible)";
        if (ShouldProcess(what, what + "?", "Confirm"))
        {
            try
            {
                DocumentStore.SaveAs(target, import.Document);
            }
            catch (IpoeException e)
            {
                ThrowTerminating(e);
                return;
            }
        }

        WriteObject(import.Lines, enumerateCollection: true);
    }

    private bool IsExcluded(string relative)
    {
        string name = System.IO.Path.GetFileName(relative);
        return Exclude.Any(p =>
        {
            var pattern = new WildcardPattern(p, WildcardOptions.CultureInvariant);
            return pattern.IsMatch(relative) || pattern.IsMatch(name);
        });
    }
}
