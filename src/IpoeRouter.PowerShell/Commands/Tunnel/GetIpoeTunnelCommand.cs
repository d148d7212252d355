using System.Management.Automation;
using IpoeRouter.Commands.Completion;
using IpoeRouter.Engine;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>Gets the tunnels the document declares.</summary>
/// <example>
/// <code>Get-IpoeTunnel</code>
/// <para>Lists the tunnels the document declares.</para>
/// </example>
/// <example>
/// <code>Get-IpoeTunnel -Name ip6tnl1 | Format-List *</code>
/// <para>Shows every property of the tunnel ip6tnl1: remote, local end, MTU, backend.</para>
/// </example>
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
