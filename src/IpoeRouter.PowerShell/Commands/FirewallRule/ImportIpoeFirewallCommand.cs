using System.Management.Automation;
using IpoeRouter.Engine;
using IpoeRouter.Engine.Documents;
using IpoeRouter.Model;
using IpoeRouter.Model.Import;

namespace IpoeRouter.Commands;

/// <summary>
/// Imports an ip6tables-save file as the document's firewall: its rules (for IPv6) and its chain
/// policies replace those declared. Every line is accounted for; a line that cannot be expressed
/// is reported with its line number, and then nothing is written unless -Force imports the rest.
/// </summary>
/// <example>
/// <code>Import-IpoeFirewall -Source ./ip6tables.rules -Force -PassThru | Format-Table</code>
/// <para>Replaces the document's firewall with the rules and policies of an ip6tables-save file, imports what can be expressed even if some lines cannot (-Force), and lists what became of every line.</para>
/// </example>
[Cmdlet(VerbsData.Import, "IpoeFirewall", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ImportedLine))]
public sealed class ImportIpoeFirewallCommand : DocumentCmdlet
{
    /// <summary>The ip6tables-save file.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Source { get; set; } = string.Empty;

    /// <summary>Write the rules that can be expressed even though some lines cannot.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Output the account of every line.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        string file = GetUnresolvedProviderPathFromPSPath(Source);
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ThrowTerminating(new IpoeException(EngineErrorIds.FileUnavailable, ErrorKind.ResourceUnavailable, $"Cannot read {file}: {e.Message}", file, e));
            return;
        }

        FirewallImport import = Ip6tablesSaveImporter.Import(text);
        foreach (ImportedLine problem in import.Problems)
        {
            WriteError(new IpoeException(EngineErrorIds.FirewallLineNotExpressible, ErrorKind.InvalidData,
                $"{file}:{problem.Line}: {problem.Note}: {problem.Text}", $"{file}:{problem.Line}"));
        }

        WriteWarning("An ip6tables file covers IPv6 only: the imported rules carry family ip6, and IPv4 (through the tunnel) has only the chain policies until rules for it are added.");
        if (PassThru)
        {
            WriteObject(import.Lines, enumerateCollection: true);
        }

        if (import.Problems.Any() && !Force)
        {
            WriteWarning($"Nothing was written: {import.Problems.Count()} line(s) cannot be expressed. Add -Force to import the other {import.Rules.Count} rule(s).");
            return;
        }

        DocumentSnapshot snapshot = LoadDocument(createIfMissing: true);
        RouterDocument next = snapshot.Document with { FirewallRules = [.. import.Rules], Firewall = import.Policy };
        Commit(snapshot, next, $"firewall ({import.Rules.Count} rules from {file})", "Replace");
    }
}
