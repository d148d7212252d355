namespace IpoeRouter.Model.Import;

/// <summary>
/// Collects what became of each line of one file while an importer reads it, and completes the
/// account at the end: a line marked more than once keeps every detail and its weightiest outcome
/// (not expressible over imported over absorbed); a line never marked is a comment or blank when it
/// looks like one, and otherwise is reported as not understood, so no line goes unaccounted.
/// </summary>
internal sealed class LineAccount
{
    private readonly string _file;
    private readonly string[] _lines;
    private readonly char[] _commentStarts;
    private readonly SortedDictionary<int, (ImportOutcome Outcome, List<string> Details)> _marks = [];

    /// <summary>Starts the account of <paramref name="source"/>, whose comments start with one of <paramref name="commentStarts"/>.</summary>
    public LineAccount(SourceText source, params char[] commentStarts)
    {
        _file = source.File;
        _lines = SplitLines(source.Text);
        _commentStarts = commentStarts;
    }

    /// <summary>The file's lines, index 0 being line 1.</summary>
    public IReadOnlyList<string> Lines => _lines;

    /// <summary>The file name the account uses.</summary>
    public string File => _file;

    /// <summary>Splits text into lines the way editors number them (LF or CRLF; no phantom line after a final newline).</summary>
    public static string[] SplitLines(string text)
    {
        string[] lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        return lines.Length > 0 && lines[^1].Length == 0 ? lines[..^1] : lines;
    }

    /// <summary>Records what became of line <paramref name="line"/> (1-based).</summary>
    public void Mark(int line, ImportOutcome outcome, string detail)
    {
        if (line < 1 || line > _lines.Length)
        {
            return;
        }

        if (_marks.TryGetValue(line, out var mark))
        {
            if (!mark.Details.Contains(detail))
            {
                mark.Details.Add(detail);
            }

            _marks[line] = (Weight(outcome) > Weight(mark.Outcome) ? outcome : mark.Outcome, mark.Details);
        }
        else
        {
            _marks[line] = (outcome, [detail]);
        }
    }

    /// <summary>True when line <paramref name="line"/> has been marked.</summary>
    public bool IsMarked(int line) => _marks.ContainsKey(line);

    /// <summary>The account of every line of the file.</summary>
    public List<AccountedLine> Complete()
    {
        var result = new List<AccountedLine>(_lines.Length);
        for (int i = 0; i < _lines.Length; i++)
        {
            int number = i + 1;
            string text = _lines[i].TrimEnd();
            if (_marks.TryGetValue(number, out var mark))
            {
                result.Add(new AccountedLine(_file, number, text, mark.Outcome, string.Join("; ", mark.Details)));
            }
            else if (IsCommentOrBlank(text))
            {
                result.Add(new AccountedLine(_file, number, text, ImportOutcome.CommentOrBlank, text.Trim().Length == 0 ? "blank" : "comment"));
            }
            else
            {
                result.Add(new AccountedLine(_file, number, text, ImportOutcome.NotExpressible, "not understood by the importer"));
            }
        }

        return result;
    }

    /// <summary>True for a blank line or one whose first non-blank character starts a comment.</summary>
    public bool IsCommentOrBlank(string text)
    {
        string t = text.Trim();
        return t.Length == 0 || Array.IndexOf(_commentStarts, t[0]) >= 0;
    }

    private static int Weight(ImportOutcome outcome) => outcome switch
    {
        ImportOutcome.NotExpressible => 3,
        ImportOutcome.Imported => 2,
        ImportOutcome.Absorbed => 1,
        _ => 0,
    };
}
