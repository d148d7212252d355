namespace IpoeRouter.Model.Import;

/// <summary>What became of one line of the imported file.</summary>
public enum ImportOutcome
{
    /// <summary>Became the rule <see cref="ImportedLine.Rule"/>.</summary>
    Imported,

    /// <summary>Needs no rule of its own: its effect is part of another (a chain declaration, a policy, <c>recent --set</c> folded into a meter).</summary>
    Absorbed,

    /// <summary>Cannot be expressed in the document; the reason says what.</summary>
    NotExpressible,

    /// <summary>A comment or a blank line: nothing to carry over.</summary>
    CommentOrBlank,
}

/// <summary>One line of the imported file and what became of it.</summary>
public sealed record ImportedLine(int Line, string Text, ImportOutcome Outcome, string? Rule, string Note);

/// <summary>The result of importing a firewall: the rules, the policies, and an account of every line.</summary>
public sealed record FirewallImport(IReadOnlyList<FirewallRule> Rules, FirewallPolicy Policy, IReadOnlyList<ImportedLine> Lines)
{
    /// <summary>The lines that could not be expressed.</summary>
    public IEnumerable<ImportedLine> Problems => Lines.Where(l => l.Outcome == ImportOutcome.NotExpressible);
}
