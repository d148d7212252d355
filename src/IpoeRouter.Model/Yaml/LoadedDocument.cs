using IpoeRouter.Model.Validation;

namespace IpoeRouter.Model.Yaml;

/// <summary>A document that was read and validated: as declared, as it takes effect, and its warnings with locations.</summary>
public sealed record LoadedDocument(RouterDocument Declared, RouterDocument Effective, IReadOnlyList<Diagnostic> Warnings, SourceMap? SourceMap)
{
    /// <summary>How many comments the text held (a rewrite does not keep them).</summary>
    public int CommentCount { get; init; }
}

/// <summary>Reads, validates and locates in one step; the only way a document enters the engine or the cmdlets.</summary>
public static class DocumentLoader
{
    /// <summary>
    /// Reads and validates <paramref name="text"/>. Throws <see cref="DocumentException"/> with every
    /// error (file:line:col each) when the document cannot be used.
    /// </summary>
    public static LoadedDocument Load(string text, string file)
    {
        DocumentReadResult read = DocumentReader.Read(text, file);
        if (read.Document is null)
        {
            throw new DocumentException(read.Diagnostics, file);
        }

        ValidationResult result = DocumentValidator.Validate(read.Document);
        IReadOnlyList<Diagnostic> located = read.SourceMap.Attach(read.Diagnostics.Concat(result.Diagnostics));
        if (!result.IsValid)
        {
            throw new DocumentException(Order(located), file);
        }

        return new LoadedDocument(read.Document, result.Effective, located.Where(d => d.Severity == Severity.Warning).ToList(), read.SourceMap)
        {
            CommentCount = CommentCounter.Count(text),
        };
    }

    /// <summary>Validates a document built in memory (by a cmdlet); errors carry document paths.</summary>
    public static LoadedDocument Check(RouterDocument document, string? target = null)
    {
        ValidationResult result = DocumentValidator.Validate(document);
        if (!result.IsValid)
        {
            throw new DocumentException(result.Diagnostics, target);
        }

        return new LoadedDocument(document, result.Effective, result.Warnings.ToList(), null);
    }

    private static List<Diagnostic> Order(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics.OrderBy(d => d.Severity).ThenBy(d => d.Location?.Line ?? int.MaxValue).ThenBy(d => d.Location?.Column ?? 0).ToList();
}
