using IpoeRouter.Model;
using IpoeRouter.Model.Yaml;
using Xunit;

namespace IpoeRouter.Model.Tests;

/// <summary>
/// Text that is not YAML is reported where the mistake is: each row is a malformed document and
/// the exact line:column the first error must name (1-based, as an editor counts).
/// </summary>
public sealed class SyntaxLocationTests
{
    private const string File = "router.yaml";

    [Theory]
    // a tab indents the first item of a block sequence: the tab itself is at 3:1
    [InlineData("version: 1\ninterfaces:\n\t- name: enp1s0\n", DiagnosticIds.DocumentSyntaxError, 3, 1)]
    // a tab indents a key deeper in the file, after a comment and a blank line
    [InlineData("version: 1\n# the WAN\n\ninterfaces:\n  - name: enp1s0\n    role: wan\nsysctl:\n\t- { name: net.ipv4.ip_forward, value: 1 }\n", DiagnosticIds.DocumentSyntaxError, 8, 1)]
    // a tab before a top-level key on the second line
    [InlineData("version: 1\n\tinterfaces: []\n", DiagnosticIds.DocumentSyntaxError, 2, 1)]
    // a tab indents what YAML reads as the continuation of the plain scalar before it
    [InlineData("version: 1\ninterfaces:\n  - name: enp1s0\n\trole: wan\n", DiagnosticIds.DocumentSyntaxError, 4, 1)]
    // a key indented one column less than its siblings
    [InlineData("version: 1\ninterfaces:\n  - name: enp1s0\n   role: wan\n", DiagnosticIds.DocumentSyntaxError, 4, 4)]
    // an unknown escape in a double-quoted scalar
    [InlineData("version: 1\ninterfaces:\n  - name: \"a\\qb\"\n", DiagnosticIds.DocumentSyntaxError, 3, 11)]
    // a ']' where a value should start
    [InlineData("version: 1\ninterfaces: ]\n", DiagnosticIds.DocumentSyntaxError, 2, 13)]
    // a single-quoted scalar never closed
    [InlineData("version: 1\nsysctl: 'abc\n", DiagnosticIds.DocumentSyntaxError, 2, 9)]
    // an alias to an anchor nobody defined, on the third line
    [InlineData("version: 1\nsysctl: []\ninterfaces: *nope\n", DiagnosticIds.DocumentSyntaxError, 3, 13)]
    // a character that cannot start a token
    [InlineData("version: 1\nsysctl:\n  - @x\n", DiagnosticIds.DocumentSyntaxError, 3, 5)]
    // the same key twice
    [InlineData("version: 1\nsysctl: []\nversion: 1\n", DiagnosticIds.DuplicateKey, 3, 1)]
    public void Read_MalformedYaml_ReportsTheMistakesLineAndColumn(string text, string id, int line, int column)
    {
        DocumentReadResult result = DocumentReader.Read(text, File);

        Assert.True(result.HasErrors);
        Diagnostic first = result.Diagnostics[0];
        Assert.Equal(id, first.Id);
        Assert.Equal(new SourceLocation(File, line, column), first.Location);
    }

    [Fact]
    public void Read_TabIndentation_NamesTheTabInTheLoaderMessage()
    {
        var ex = Assert.Throws<DocumentException>(() => DocumentLoader.Load("version: 1\ninterfaces:\n\t- name: enp1s0\n", File));

        Assert.Equal(DiagnosticIds.DocumentSyntaxError, ex.ErrorId);
        Assert.StartsWith($"{File}:3:1: error {DiagnosticIds.DocumentSyntaxError}: ", ex.Message, StringComparison.Ordinal);
    }
}
