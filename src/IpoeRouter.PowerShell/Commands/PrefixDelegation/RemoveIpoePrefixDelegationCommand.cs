using System.Management.Automation;
using IpoeRouter.Commands.Completion;
using IpoeRouter.Engine;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>Removes a prefix delegation from the document. Refused while other resources still name it.</summary>
/// <example>
/// <code>Remove-IpoePrefixDelegation -Name hgw</code>
/// <para>Takes the delegation hgw out of the document: the agent stops its DHCPv6-PD client, and the LANs lose the /64s taken from it. Refused while an address or rule still names it.</para>
/// </example>
[Cmdlet(VerbsCommon.Remove, "IpoePrefixDelegation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveIpoePrefixDelegationCommand : RemoveResourceCmdlet
{
    /// <summary>The name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <inheritdoc/>
    protected override string Key => Name;

    /// <inheritdoc/>
    protected override string What => "prefix delegation";

    /// <inheritdoc/>
    protected override string NotFoundId => EngineErrorIds.PrefixDelegationNotFound;

    /// <inheritdoc/>
    protected override bool Contains(RouterDocument document, string key) => document.PrefixDelegations.Any(i => i.Name == key);

    /// <inheritdoc/>
    protected override RouterDocument Without(RouterDocument document, string key) => document.WithoutPrefixDelegation(key);
}
