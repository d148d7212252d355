using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using IpoeRouter.Engine.Documents;
using IpoeRouter.Model;

namespace IpoeRouter.Commands.Completion;

/// <summary>
/// Completes resource keys from the document the command line points at (its -Path, else the
/// default). The kind follows from the command's noun: <c>Get-IpoeTunnel -Name &lt;tab&gt;</c> offers tunnels.
/// </summary>
public sealed class ResourceNameCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        RouterDocument? document = TryLoad(fakeBoundParameters);
        if (document is null)
        {
            return [];
        }

        string noun = commandName[(commandName.IndexOf('-', StringComparison.Ordinal) + 1)..];
        IEnumerable<string> keys = noun switch
        {
            "IpoeInterface" => document.Interfaces.Select(i => i.Name),
            "IpoeTunnel" => document.Tunnels.Select(t => t.Name),
            "IpoePrefixDelegation" => document.PrefixDelegations.Select(p => p.Name),
            "IpoeDhcpScope" or "IpoeDhcpReservation" => document.DhcpScopes.Select(s => s.Name),
            "IpoeFirewallRule" => parameterName is "Before" or "After" or "Name" ? document.FirewallRules.Select(r => r.Name) : document.FirewallRules.Select(r => r.Chain).Distinct(),
            "IpoeSysctlSetting" => document.Sysctl.Select(s => s.Name),
            "IpoeRoute" => document.Routes.Select(r => r.Key),
            _ => [],
        };
        return Complete(keys, wordToComplete);
    }

    internal static IEnumerable<CompletionResult> Complete(IEnumerable<string> candidates, string word)
    {
        var pattern = new WildcardPattern((word ?? string.Empty).Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
        return candidates.Distinct(StringComparer.Ordinal).Where(pattern.IsMatch).Order(StringComparer.Ordinal)
            .Select(k => new CompletionResult(k.Contains(' ', StringComparison.Ordinal) ? $"'{k}'" : k, k, CompletionResultType.ParameterValue, k));
    }

    internal static RouterDocument? TryLoad(IDictionary fakeBoundParameters)
    {
        try
        {
            // -DocumentPath is -Path's alias (and Install-IpoeAgent's document).
            string? path = fakeBoundParameters["DocumentPath"] as string ?? fakeBoundParameters["Path"] as string;
            string resolved = DocumentStore.ResolvePath(path);
            if (!System.IO.Path.IsPathRooted(resolved)
                && System.Management.Automation.Runspaces.Runspace.DefaultRunspace?.SessionStateProxy.Path.CurrentFileSystemLocation.ProviderPath is { } here)
            {
                resolved = System.IO.Path.Combine(here, resolved);
            }

            return DocumentStore.Load(resolved).Document;
        }
        catch (Exception e) when (e is IpoeException or IOException or UnauthorizedAccessException or PSInvalidOperationException)
        {
            return null; // no document, an invalid one, or no session to ask: nothing to offer
        }
    }
}
