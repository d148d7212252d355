using System.Management.Automation;
using IpoeRouter.Commands.Completion;
using IpoeRouter.Engine;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>Removes a firewall rule from the document. Refused while other resources still name it.</summary>
/// <example>
/// <code>Remove-IpoeFirewallRule -Name in-tcp-rst</code>
/// <para>Removes one rule from the document; the firewall loses it at the next reconcile.</para>
/// </example>
[Cmdlet(VerbsCommon.Remove, "IpoeFirewallRule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveIpoeFirewallRuleCommand : RemoveResourceCmdlet
{
    /// <summary>The name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <inheritdoc/>
    protected override string Key => Name;

    /// <inheritdoc/>
    protected override string What => "firewall rule";

    /// <inheritdoc/>
    protected override string NotFoundId => EngineErrorIds.FirewallRuleNotFound;

    /// <inheritdoc/>
    protected override bool Contains(RouterDocument document, string key) => document.FirewallRules.Any(i => i.Name == key);

    /// <inheritdoc/>
    protected override RouterDocument Without(RouterDocument document, string key) => document.WithoutFirewallRule(key);
}
