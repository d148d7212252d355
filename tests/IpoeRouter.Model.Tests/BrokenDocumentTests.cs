using System.Text.RegularExpressions;
using IpoeRouter.Model;
using IpoeRouter.Model.Yaml;
using Xunit;

namespace IpoeRouter.Model.Tests;

/// <summary>
/// The corpus of broken documents: each file's first line says what must be reported,
/// <c># expect: ErrorId line:col</c>, and the test asserts that error comes first, at that place,
/// with the file named, and that nothing is returned.
/// </summary>
public sealed partial class BrokenDocumentTests
{
    private static string CorpusDir => Path.Combine(AppContext.BaseDirectory, "Corpus", "broken");

    public static TheoryData<string> Corpus()
    {
        var data = new TheoryData<string>();
        foreach (string f in Directory.GetFiles(CorpusDir, "*.yaml").Order())
        {
            data.Add(Path.GetFileName(f));
        }

        return data;
    }

    [Fact]
    public void Corpus_HasAtLeastThirtyDocuments() => Assert.True(Corpus().Count >= 30, $"only {Corpus().Count} broken documents");

    [Theory]
    [MemberData(nameof(Corpus))]
    public void BrokenDocument_IsRefused_WithItsErrorIdAndLocation(string name)
    {
        string text = File.ReadAllText(Path.Combine(CorpusDir, name));
        Match expect = ExpectLine().Match(text);
        Assert.True(expect.Success, $"{name} lacks a '# expect: Id line:col' first line");
        string id = expect.Groups["id"].Value;
        int line = int.Parse(expect.Groups["line"].Value);
        int col = int.Parse(expect.Groups["col"].Value);

        var ex = Assert.Throws<DocumentException>(() => DocumentLoader.Load(text, name));

        Diagnostic first = ex.Errors.First();
        Assert.Equal(id, first.Id);
        Assert.Equal(new SourceLocation(name, line, col), first.Location);
        Assert.Equal(id, ex.ErrorId);
        Assert.StartsWith($"{name}:{line}:{col}: error {id}: ", ex.Message, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\A# expect: (?<id>[A-Za-z]+) (?<line>\d+):(?<col>\d+)")]
    private static partial Regex ExpectLine();
}
