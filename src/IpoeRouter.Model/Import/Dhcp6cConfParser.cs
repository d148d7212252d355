using System.Globalization;
using System.Text;

namespace IpoeRouter.Model.Import;

/// <summary>
/// One statement of wide-dhcpv6's configuration: its words (quotes removed), the line it starts
/// on, and for a block (<c>interface enp1s0 { … };</c>) its statements and the line of its closing brace.
/// </summary>
internal sealed record Dhcp6cStatement(int Line, IReadOnlyList<string> Words, IReadOnlyList<Dhcp6cStatement>? Block, int EndLine);

/// <summary>
/// Splits <c>dhcp6c.conf</c> into statements: words up to <c>;</c>, or up to <c>{</c> followed by
/// nested statements and <c>};</c>. <c>#</c> starts a comment to the end of the line.
/// </summary>
internal static class Dhcp6cConfParser
{
    private readonly record struct Token(string Text, int Line, int Column, bool Quoted);

    /// <summary>Parses <paramref name="source"/>; a missing brace or semicolon is an error naming file:line:col.</summary>
    public static List<Dhcp6cStatement> Parse(SourceText source)
    {
        List<Token> tokens = Tokenize(source);
        int i = 0;
        List<Dhcp6cStatement> statements = Statements(source, tokens, ref i, nested: false);
        return statements;
    }

    private static List<Dhcp6cStatement> Statements(SourceText source, List<Token> tokens, ref int i, bool nested)
    {
        var result = new List<Dhcp6cStatement>();
        while (i < tokens.Count)
        {
            if (tokens[i] is { Text: "}", Quoted: false })
            {
                if (!nested)
                {
                    throw Error(source, tokens[i], "'}' without a block to close");
                }

                return result;
            }

            var words = new List<string>();
            int line = tokens[i].Line;
            while (i < tokens.Count && !(tokens[i] is { Quoted: false, Text: ";" or "{" or "}" }))
            {
                words.Add(tokens[i].Text);
                i++;
            }

            if (i >= tokens.Count || tokens[i].Text == "}")
            {
                throw Error(source, i < tokens.Count ? tokens[i] : tokens[^1], $"statement '{string.Join(' ', words)}' does not end with ';'");
            }

            if (tokens[i].Text == ";")
            {
                i++;
                if (words.Count > 0)
                {
                    result.Add(new Dhcp6cStatement(line, words, null, line));
                }

                continue;
            }

            Token open = tokens[i++];
            List<Dhcp6cStatement> block = Statements(source, tokens, ref i, nested: true);
            if (i >= tokens.Count)
            {
                throw Error(source, open, $"block '{string.Join(' ', words)}' is never closed with '}};'");
            }

            int endLine = tokens[i++].Line;
            if (i < tokens.Count && tokens[i].Text == ";")
            {
                i++;
            }

            result.Add(new Dhcp6cStatement(line, words, block, endLine));
        }

        return result;
    }

    private static IpoeException Error(SourceText source, Token at, string what)
    {
        string where = string.Create(CultureInfo.InvariantCulture, $"{source.File}:{at.Line}:{at.Column}");
        return new IpoeException(ImportErrorIds.ImportSourceSyntaxError, ErrorKind.InvalidData, $"{where}: {what} (dhcp6c.conf)", where);
    }

    private static List<Token> Tokenize(SourceText source)
    {
        var tokens = new List<Token>();
        string[] lines = LineAccount.SplitLines(source.Text);
        for (int l = 0; l < lines.Length; l++)
        {
            string text = lines[l];
            int c = 0;
            while (c < text.Length)
            {
                char ch = text[c];
                if (char.IsWhiteSpace(ch))
                {
                    c++;
                }
                else if (ch == '#')
                {
                    break;
                }
                else if (ch is ';' or '{' or '}')
                {
                    tokens.Add(new Token(ch.ToString(), l + 1, c + 1, false));
                    c++;
                }
                else if (ch == '"')
                {
                    int end = text.IndexOf('"', c + 1);
                    if (end < 0)
                    {
                        throw Error(source, new Token("\"", l + 1, c + 1, false), "unbalanced quote");
                    }

                    tokens.Add(new Token(text[(c + 1)..end], l + 1, c + 1, true));
                    c = end + 1;
                }
                else
                {
                    var word = new StringBuilder();
                    int start = c;
                    while (c < text.Length && !char.IsWhiteSpace(text[c]) && text[c] is not (';' or '{' or '}' or '#' or '"'))
                    {
                        word.Append(text[c++]);
                    }

                    tokens.Add(new Token(word.ToString(), l + 1, start + 1, false));
                }
            }
        }

        return tokens;
    }
}
