using System.Management.Automation;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>Changes a firewall rule, or appends a new one at the end of the rule list (<c>-Chain</c> required then).</summary>
/// <example>
/// <code>Set-IpoeFirewallRule -Name in-dhcpv6-client -Comment 'the HGW delegates the /60 from here'</code>
/// <para>Adds a comment to a rule; its matches and action stay.</para>
/// </example>
/// <example>
/// <code>Set-IpoeFirewallRule -Name icmpflood-drop -Limit 10/second</code>
/// <para>Raises the rate above which ICMP packets are dropped.</para>
/// </example>
[Cmdlet(VerbsCommon.Set, "IpoeFirewallRule", SupportsShouldProcess = true)]
[OutputType(typeof(FirewallRule))]
public sealed class SetIpoeFirewallRuleCommand : FirewallRuleCmdlet
{
    /// <inheritdoc/>
    protected override RouterDocument With(RouterDocument document, FirewallRule item) => document.WithFirewallRule(item);

    /// <inheritdoc/>
    protected override FirewallRule Build(FirewallRule? existing, RouterDocument document) =>
        Apply(existing ?? new FirewallRule(Name, Chain ?? throw Required(nameof(Chain), "input, forward, output or a user chain.")));
}
