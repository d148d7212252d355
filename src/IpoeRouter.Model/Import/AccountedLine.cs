using System.Globalization;

namespace IpoeRouter.Model.Import;

/// <summary>
/// One line of a hand-built router's configuration and what became of it in the document: its
/// file (as the caller named it), its 1-based number, its text, the outcome and what it became or why not.
/// </summary>
public sealed record AccountedLine(string Source, int Line, string Text, ImportOutcome Outcome, string Detail)
{
    /// <summary>The place in <c>file:line</c> form.</summary>
    public string Location => string.Create(CultureInfo.InvariantCulture, $"{Source}:{Line}");

    /// <inheritdoc/>
    public override string ToString() => $"{Location}: {Outcome}: {Detail}";
}

/// <summary>The text of one configuration file, named as the account should name it.</summary>
public sealed record SourceText(string File, string Text);

/// <summary>What one importer made of its files: the resources (as a partial document) and the account of their lines.</summary>
public sealed record SourceImport(RouterDocument Fragment, IReadOnlyList<AccountedLine> Lines);
