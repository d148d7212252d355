using System.Management.Automation;
using IpoeRouter.Commands.Completion;
using IpoeRouter.Engine;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>
/// Adds a new firewall rule: at the end, or <c>-Before</c>/<c>-After</c> a named rule (rules
/// are evaluated in document order within their chain). Refuses a name that exists.
/// </summary>
/// <example>
/// <code>Add-IpoeFirewallRule -Name in-ssh-lan -Chain input -InputInterface enp2s0 -Protocol tcp -DestinationPort 22 -Action Accept -Before in-log-drop</code>
/// <para>Accepts SSH from the LAN, evaluated before the rule that logs and drops the rest.</para>
/// </example>
[Cmdlet(VerbsCommon.Add, "IpoeFirewallRule", SupportsShouldProcess = true)]
[OutputType(typeof(FirewallRule))]
public sealed class AddIpoeFirewallRuleCommand : FirewallRuleCmdlet
{
    /// <summary>Insert before this rule.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    public string? Before { get; set; }

    /// <summary>Insert after this rule.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    public string? After { get; set; }

    /// <inheritdoc/>
    protected override RouterDocument With(RouterDocument document, FirewallRule item)
    {
        int? index = null;
        if (Before is not null)
        {
            index = RouterDocument.IndexOf(document.FirewallRules, r => r.Name == Before);
        }
        else if (After is not null)
        {
            index = RouterDocument.IndexOf(document.FirewallRules, r => r.Name == After) + 1;
        }

        return document.WithFirewallRule(item, index);
    }

    /// <inheritdoc/>
    protected override FirewallRule Build(FirewallRule? existing, RouterDocument document)
    {
        if (existing is not null)
        {
            throw new IpoeException(EngineErrorIds.FirewallRuleExists, ErrorKind.ResourceExists,
                $"The firewall rule '{Name}' exists already; change it with Set-IpoeFirewallRule or choose another name.", Name);
        }

        if (Before is not null && After is not null)
        {
            throw Invalid(nameof(Before), Before, "give -Before or -After, not both.");
        }

        foreach (string? anchor in new[] { Before, After })
        {
            if (anchor is not null && !document.FirewallRules.Any(r => r.Name == anchor))
            {
                throw NotFound(EngineErrorIds.FirewallRuleNotFound, What, anchor);
            }
        }

        return Apply(new FirewallRule(Name, Chain ?? throw Required(nameof(Chain), "input, forward, output or a user chain.")));
    }
}
