using System.Management.Automation;
using IpoeRouter.Commands.Completion;
using IpoeRouter.Engine;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>Gets the firewall rules the document declares.</summary>
/// <example>
/// <code>Get-IpoeFirewallRule -Chain input</code>
/// <para>Lists the rules of the input chain in the order they are evaluated.</para>
/// </example>
/// <example>
/// <code>Get-IpoeFirewallRule -Name in-icmpv6-*</code>
/// <para>Lists the rules whose names start with in-icmpv6-.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "IpoeFirewallRule")]
[OutputType(typeof(FirewallRule))]
public sealed class GetIpoeFirewallRuleCommand : GetResourceCmdlet<FirewallRule>
{
    /// <summary>Names; wildcards allowed.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Only rules of these chains.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    public string[]? Chain { get; set; }

    /// <inheritdoc/>
    protected override string[]? Keys => Name;

    /// <inheritdoc/>
    protected override string What => "firewall rule";

    /// <inheritdoc/>
    protected override string NotFoundId => EngineErrorIds.FirewallRuleNotFound;

    /// <inheritdoc/>
    protected override IEnumerable<FirewallRule> Select(RouterDocument document) =>
        Chain is null ? document.FirewallRules : document.FirewallRules.Where(r => Chain.Contains(r.Chain, StringComparer.Ordinal));

    /// <inheritdoc/>
    protected override string KeyOf(FirewallRule item) => item.Name;
}
