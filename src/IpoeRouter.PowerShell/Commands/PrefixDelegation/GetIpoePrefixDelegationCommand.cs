using System.Management.Automation;
using IpoeRouter.Commands.Completion;
using IpoeRouter.Engine;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>Gets the prefix delegations the document declares.</summary>
/// <example>
/// <code>Get-IpoePrefixDelegation</code>
/// <para>Lists the DHCPv6-PD clients the document declares.</para>
/// </example>
/// <example>
/// <code>Get-IpoePrefixDelegation -Name hgw | Format-List</code>
/// <para>Shows the delegation hgw with its WAN, prefix length and downstream LANs.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "IpoePrefixDelegation")]
[OutputType(typeof(PrefixDelegation))]
public sealed class GetIpoePrefixDelegationCommand : GetResourceCmdlet<PrefixDelegation>
{
    /// <summary>Names; wildcards allowed.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    public string[]? Name { get; set; }

    /// <inheritdoc/>
    protected override string[]? Keys => Name;

    /// <inheritdoc/>
    protected override string What => "prefix delegation";

    /// <inheritdoc/>
    protected override string NotFoundId => EngineErrorIds.PrefixDelegationNotFound;

    /// <inheritdoc/>
    protected override IEnumerable<PrefixDelegation> Select(RouterDocument document) => document.PrefixDelegations;

    /// <inheritdoc/>
    protected override string KeyOf(PrefixDelegation item) => item.Name;
}
