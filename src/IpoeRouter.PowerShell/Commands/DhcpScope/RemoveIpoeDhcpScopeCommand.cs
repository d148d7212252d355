using System.Management.Automation;
using IpoeRouter.Commands.Completion;
using IpoeRouter.Engine;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>Removes a DHCP scope from the document. Refused while other resources still name it.</summary>
/// <example>
/// <code>Remove-IpoeDhcpScope -Name enp2s0</code>
/// <para>Stops DHCP service on enp2s0 at the next reconcile, reservations included.</para>
/// </example>
[Cmdlet(VerbsCommon.Remove, "IpoeDhcpScope", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveIpoeDhcpScopeCommand : RemoveResourceCmdlet
{
    /// <summary>The name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <inheritdoc/>
    protected override string Key => Name;

    /// <inheritdoc/>
    protected override string What => "DHCP scope";

    /// <inheritdoc/>
    protected override string NotFoundId => EngineErrorIds.DhcpScopeNotFound;

    /// <inheritdoc/>
    protected override bool Contains(RouterDocument document, string key) => document.DhcpScopes.Any(i => i.Name == key);

    /// <inheritdoc/>
    protected override RouterDocument Without(RouterDocument document, string key) => document.WithoutDhcpScope(key);
}
