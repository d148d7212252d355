namespace IpoeRouter.Model.Import;

/// <summary>
/// A hand-built router read into one document: the document, the account of every line of every
/// file read, and warnings about what the document will do differently from the old router.
/// </summary>
public sealed record RouterImport(RouterDocument Document, IReadOnlyList<AccountedLine> Lines, IReadOnlyList<string> Warnings)
{
    /// <summary>The lines that could not be expressed.</summary>
    public IEnumerable<AccountedLine> Problems => Lines.Where(l => l.Outcome == ImportOutcome.NotExpressible);

    /// <summary>How many lines had <paramref name="outcome"/>.</summary>
    public int Count(ImportOutcome outcome) => Lines.Count(l => l.Outcome == outcome);
}
