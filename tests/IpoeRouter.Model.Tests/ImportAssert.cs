using IpoeRouter.Model.Import;
using Xunit;

namespace IpoeRouter.Model.Tests;

/// <summary>Checks shared by the importer tests.</summary>
internal static class ImportAssert
{
    /// <summary>The account of <paramref name="file"/> has exactly one entry per line of <paramref name="text"/>, numbered 1..n, with the line's text.</summary>
    public static void EveryLineOnce(string file, string text, IEnumerable<AccountedLine> lines)
    {
        string[] expected = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        if (expected.Length > 0 && expected[^1].Length == 0)
        {
            expected = expected[..^1];
        }

        List<AccountedLine> mine = lines.Where(l => l.Source == file).ToList();
        Assert.Equal(Enumerable.Range(1, expected.Length), mine.Select(l => l.Line));
        Assert.Equal(expected.Select(t => t.TrimEnd()), mine.Select(l => l.Text));
    }

    /// <summary>The account entry of line <paramref name="line"/>.</summary>
    public static AccountedLine At(this SourceImport import, int line) => import.Lines.Single(l => l.Line == line);
}
