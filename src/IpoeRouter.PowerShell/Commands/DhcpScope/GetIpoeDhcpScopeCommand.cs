using System.Management.Automation;
using IpoeRouter.Commands.Completion;
using IpoeRouter.Engine;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>Gets the DHCP scopes the document declares.</summary>
[Cmdlet(VerbsCommon.Get, "IpoeDhcpScope")]
[OutputType(typeof(DhcpScope))]
public sealed class GetIpoeDhcpScopeCommand : GetResourceCmdlet<DhcpScope>
{
    /// <summary>Names; wildcards allowed.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    public string[]? Name { get; set; }

    /// <inheritdoc/>
    protected override string[]? Keys => Name;

    /// <inheritdoc/>
    protected override string What => "DHCP scope";

    /// <inheritdoc/>
    protected override string NotFoundId => EngineErrorIds.DhcpScopeNotFound;

    /// <inheritdoc/>
    protected override IEnumerable<DhcpScope> Select(RouterDocument document) => document.DhcpScopes;

    /// <inheritdoc/>
    protected override string KeyOf(DhcpScope item) => item.Name;
}
