using System.Management.Automation;
using System.Net;
using IpoeRouter.Commands.Completion;
using IpoeRouter.Commands.Transformation;
using IpoeRouter.Engine;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>Removes a static route from the document.</summary>
/// <example>
/// <code>Remove-IpoeRoute -Destination 203.0.113.0/24</code>
/// <para>Removes the static route to 203.0.113.0/24 from the document.</para>
/// </example>
[Cmdlet(VerbsCommon.Remove, "IpoeRoute", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveIpoeRouteCommand : RemoveResourceCmdlet
{
    /// <summary>The destination prefix.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [RouteDestinationTransformation]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    public string Destination { get; set; } = string.Empty;

    /// <inheritdoc/>
    protected override string Key => SetIpoeRouteCommand.Normalize(Destination);

    /// <inheritdoc/>
    protected override string What => "route to";

    /// <inheritdoc/>
    protected override string NotFoundId => EngineErrorIds.RouteNotFound;

    /// <inheritdoc/>
    protected override bool Contains(RouterDocument document, string key) => document.Routes.Any(r => r.Key == key);

    /// <inheritdoc/>
    protected override RouterDocument Without(RouterDocument document, string key) => document.WithoutRoute(key);
}
