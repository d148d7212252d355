using System.Management.Automation;
using IpoeRouter.Commands.Completion;
using IpoeRouter.Engine;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>Gets the tunnels the document declares.</summary>
[Cmdlet(VerbsCommon.Get, "IpoeTunnel")]
[OutputType(typeof(Tunnel))]
public sealed class GetIpoeTunnelCommand : GetResourceCmdlet<Tunnel>
{
    /// <summary>Names; wildcards allowed.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    public string[]? Name { get; set; }

    /// <inheritdoc/>
    protected override string[]? Keys => Name;

    /// <inheritdoc/>
    protected override string What => "tunnel";

    /// <inheritdoc/>
    protected override string NotFoundId => EngineErrorIds.TunnelNotFound;

    /// <inheritdoc/>
    protected override IEnumerable<Tunnel> Select(RouterDocument document) => document.Tunnels;

    /// <inheritdoc/>
    protected override string KeyOf(Tunnel item) => item.Name;
}
