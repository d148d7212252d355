namespace IpoeRouter.Model.Import;

/// <summary>
/// The ip6tables-save file as one source of a router import: <see cref="Ip6tablesSaveImporter"/>'s
/// rules and policies, with its account completed to every line (its comments and blanks included)
/// and named by file. Pure.
/// </summary>
public static class FirewallSourceImporter
{
    /// <summary>Imports <paramref name="source"/>.</summary>
    public static SourceImport Import(SourceText source)
    {
        FirewallImport firewall = Ip6tablesSaveImporter.Import(source.Text);
        var account = new LineAccount(source, '#');
        foreach (ImportedLine line in firewall.Lines)
        {
            account.Mark(line.Line, line.Outcome, line.Rule is null ? line.Note : $"rule {line.Rule} ({line.Note})");
        }

        var fragment = RouterDocument.Empty with { FirewallRules = [.. firewall.Rules], Firewall = firewall.Policy };
        return new SourceImport(fragment, account.Complete());
    }
}
