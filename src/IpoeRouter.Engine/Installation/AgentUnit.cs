using IpoeRouter.Model;

namespace IpoeRouter.Engine.Installation;

/// <summary>
/// The agent's systemd unit, made from the template shipped with the module
/// (<c>packaging/systemd/ipoe-agent.service</c>): <c>@AGENT_PATH@</c> and <c>@DOCUMENT@</c> are
/// replaced by absolute paths. Paths are refused unless made of letters, digits and
/// <c>/ . _ - + @ : ,</c>: anything else (spaces, quotes, <c>%</c> specifiers, <c>$</c> variables)
/// would change what systemd reads on the <c>ExecStart=</c> line.
/// </summary>
public static class AgentUnit
{
    /// <summary>The placeholder for the agent binary.</summary>
    public const string AgentPathPlaceholder = "@AGENT_PATH@";

    /// <summary>The placeholder for the router document.</summary>
    public const string DocumentPlaceholder = "@DOCUMENT@";

    /// <summary>The unit text for <paramref name="agentPath"/> and <paramref name="documentPath"/>; <c>InvalidParameter</c> for a path systemd would read otherwise.</summary>
    public static string Render(string template, string agentPath, string documentPath)
    {
        ArgumentNullException.ThrowIfNull(template);
        if (!template.Contains(AgentPathPlaceholder, StringComparison.Ordinal) || !template.Contains(DocumentPlaceholder, StringComparison.Ordinal))
        {
            throw new IpoeException(EngineErrorIds.AgentPackageIncomplete, ErrorKind.ResourceUnavailable,
                $"The unit template lacks {AgentPathPlaceholder} or {DocumentPlaceholder}: the module's agent/ipoe-agent.service is not the template the build ships.");
        }

        CheckPath(agentPath, "AgentPath");
        CheckPath(documentPath, "DocumentPath");
        return template.Replace(AgentPathPlaceholder, agentPath, StringComparison.Ordinal).Replace(DocumentPlaceholder, documentPath, StringComparison.Ordinal);
    }

    /// <summary>True when <paramref name="path"/> can stand in a unit's command line as it is.</summary>
    public static bool IsUnitSafePath(string? path) =>
        path is { Length: > 1 } && path[0] == '/' && !path.Contains("//", StringComparison.Ordinal)
        && path.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '+' or '@' or ':' or ',')
        && !path.Split('/').Any(part => part is "." or "..");

    private static void CheckPath(string path, string parameter)
    {
        if (!IsUnitSafePath(path))
        {
            throw new IpoeException(EngineErrorIds.InvalidParameter, ErrorKind.InvalidArgument,
                $"'{path}' cannot go into the unit as {parameter}: give an absolute path without '.' or '..' made of letters, digits and / . _ - + @ : , only.", path);
        }
    }
}
