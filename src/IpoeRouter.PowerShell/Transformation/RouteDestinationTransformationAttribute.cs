using System.Management.Automation;
using System.Net;
using IpoeRouter.Model;

namespace IpoeRouter.Commands.Transformation;

/// <summary>
/// Lets a route's destination come as text, as a prefix, or as the route itself (so that
/// <c>Get-IpoeRoute | Remove-IpoeRoute</c> binds the key, not the object's text form).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class RouteDestinationTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc/>
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) => inputData switch
    {
        PSObject ps => Transform(engineIntrinsics, ps.BaseObject),
        Route route => route.Key,
        IPNetwork prefix => PrefixMath.Format(prefix),
        object[] many => many.Select(o => Transform(engineIntrinsics, o)).ToArray(),
        _ => inputData,
    };
}
