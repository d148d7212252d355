using System.Management.Automation;
using IpoeRouter.Commands.Completion;
using IpoeRouter.Commands.Transformation;
using IpoeRouter.Engine;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>Gets the static routes the document declares.</summary>
/// <example>
/// <code>Get-IpoeRoute</code>
/// <para>Lists the static routes the document declares.</para>
/// </example>
/// <example>
/// <code>Get-IpoeRoute -Destination 203.0.113.*</code>
/// <para>Lists the routes whose destinations start with 203.0.113.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "IpoeRoute")]
[OutputType(typeof(Route))]
public sealed class GetIpoeRouteCommand : GetResourceCmdlet<Route>
{
    /// <summary>Destinations; wildcards allowed.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [RouteDestinationTransformation]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    public string[]? Destination { get; set; }

    /// <inheritdoc/>
    protected override string[]? Keys => Destination?.Select(SetIpoeRouteCommand.Normalize).ToArray();

    /// <inheritdoc/>
    protected override string What => "route to";

    /// <inheritdoc/>
    protected override string NotFoundId => EngineErrorIds.RouteNotFound;

    /// <inheritdoc/>
    protected override IEnumerable<Route> Select(RouterDocument document) => document.Routes;

    /// <inheritdoc/>
    protected override string KeyOf(Route item) => item.Key;
}
