using YamlDotNet.Core;
using YamlDotNet.Core.Tokens;

namespace IpoeRouter.Model.Yaml;

/// <summary>Counts the comments of YAML text, so a rewrite that drops them can say so.</summary>
public static class CommentCounter
{
    /// <summary>The number of comments in <paramref name="text"/>; 0 when it does not scan.</summary>
    public static int Count(string text)
    {
        var scanner = new Scanner(new StringReader(text), skipComments: false);
        int count = 0;
        try
        {
            while (scanner.MoveNext())
            {
                if (scanner.Current is Comment)
                {
                    count++;
                }
            }
        }
        catch (YamlException)
        {
            return count; // the reader reports the syntax error; counting stops there
        }

        return count;
    }
}
