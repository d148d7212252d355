using System.Management.Automation;
using IpoeRouter.Commands.Completion;
using IpoeRouter.Engine;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>Gets the interfaces the document declares.</summary>
[Cmdlet(VerbsCommon.Get, "IpoeInterface")]
[OutputType(typeof(Interface))]
public sealed class GetIpoeInterfaceCommand : GetResourceCmdlet<Interface>
{
    /// <summary>Interface names; wildcards allowed.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    public string[]? Name { get; set; }

    /// <inheritdoc/>
    protected override string[]? Keys => Name;

    /// <inheritdoc/>
    protected override string What => "interface";

    /// <inheritdoc/>
    protected override string NotFoundId => EngineErrorIds.InterfaceNotFound;

    /// <inheritdoc/>
    protected override IEnumerable<Interface> Select(RouterDocument document) => document.Interfaces;

    /// <inheritdoc/>
    protected override string KeyOf(Interface item) => item.Name;
}
