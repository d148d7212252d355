using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace IpoeRouter.Model.Yaml;

/// <summary>Why YAML text could not be loaded, and the 1-based line and column of the mistake.</summary>
/// <param name="Message">YamlDotNet's description of the problem.</param>
/// <param name="IsDuplicateKey">True when the problem is a key given twice in one mapping.</param>
/// <param name="Line">The line of the mistake.</param>
/// <param name="Column">The column of the mistake.</param>
internal sealed record YamlLoadError(string Message, bool IsDuplicateKey, int Line, int Column);

/// <summary>
/// Loads YAML text into a <see cref="YamlStream"/> so that every scanner, parser and loader error
/// carries the place it happened. YamlDotNet 18.1 raises a few errors without a mark (a tab used as
/// indentation, an alias to an unknown anchor; they then read 1:1): the scanner's own position
/// at the moment it gave up stands in for the first, and undefined aliases are caught while the
/// events stream past, at the alias itself.
/// </summary>
internal static class YamlTextLoader
{
    /// <summary>Loads <paramref name="text"/>; on failure <paramref name="error"/> says what and where.</summary>
    public static bool TryLoad(string text, out YamlStream stream, out YamlLoadError? error)
    {
        stream = new YamlStream();
        var scanner = new Scanner(new StringReader(text));
        var parser = new AliasCheckingParser(new Parser(scanner));
        try
        {
            stream.Load(parser);
            error = null;
            return true;
        }
        catch (YamlException e)
        {
            YamlException cause = e.InnerException as YamlException ?? e;
            Mark at = Place(cause) ?? Place(e) ?? scanner.CurrentPosition;
            error = new YamlLoadError(cause.Message, cause.Message.StartsWith("Duplicate key", StringComparison.Ordinal),
                (int)at.Line, (int)at.Column);
            return false;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet 18.1 throws this instead of a YamlException for some unclosed flow
            // collections; the last event it produced marks where the broken node starts.
            (int line, int column) = LastParsedMark(text);
            error = new YamlLoadError(
                "the parser cannot go on after the value that starts here; look for an unclosed '[', '{' or quote.",
                false, line, column);
            return false;
        }
    }

    /// <summary>
    /// Where <paramref name="e"/> says the mistake is, or null when YamlDotNet set no place (an
    /// exception made without marks holds <see cref="Mark.Empty"/> for both ends). The start mark
    /// is the node the scanner was reading, except for a tab found inside a plain scalar's
    /// indentation: its start is the scalar's and its end is the tab, which is the mistake.
    /// </summary>
    private static Mark? Place(YamlException e)
    {
        if (e.Start.Equals(Mark.Empty) && e.End.Equals(Mark.Empty))
        {
            return null;
        }

        return e.Message.Contains("tab character", StringComparison.Ordinal) ? e.End : e.Start;
    }

    private static (int Line, int Column) LastParsedMark(string text)
    {
        var parser = new Parser(new StringReader(text));
        (int, int) last = (1, 1);
        try
        {
            while (parser.MoveNext())
            {
                last = ((int)parser.Current!.Start.Line, (int)parser.Current.Start.Column);
            }
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
            // expected: this only runs on text that failed to parse
        }

        return last;
    }

    /// <summary>
    /// Passes a parser's events through, refusing an alias whose anchor was not defined earlier in
    /// the same document with the alias's own marks (YAML defines an anchor before its aliases).
    /// </summary>
    private sealed class AliasCheckingParser(IParser inner) : IParser
    {
        private readonly HashSet<string> _anchors = new(StringComparer.Ordinal);

        public ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            if (!inner.MoveNext())
            {
                return false;
            }

            switch (inner.Current)
            {
                case DocumentStart:
                    _anchors.Clear();
                    break;
                case AnchorAlias alias when !_anchors.Contains(alias.Value.Value):
                    throw new AnchorNotFoundException(alias.Start, alias.End, $"The alias '*{alias.Value.Value}' names no anchor defined before it.");
                case NodeEvent node when !node.Anchor.IsEmpty:
                    _anchors.Add(node.Anchor.Value);
                    break;
            }

            return true;
        }
    }
}
