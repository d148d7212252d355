using System.Management.Automation;
using IpoeRouter.Model;

namespace IpoeRouter.Commands.Transformation;

/// <summary>
/// Accepts the document's duration text (<c>'12h'</c>, <c>'90m'</c>) or a positive <see cref="TimeSpan"/>
/// of whole seconds. Bare numbers are refused, as in the document: <c>'12'</c> could be hours or days.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class DurationTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc/>
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        object value = inputData is PSObject ps ? ps.BaseObject : inputData;
        return value switch
        {
            TimeSpan t when t > TimeSpan.Zero && t.Ticks % TimeSpan.TicksPerSecond == 0 => t,
            string s when Duration.TryParse(s, out TimeSpan d) => d,
            _ => throw new ArgumentTransformationMetadataException($"'{value}' is not a duration: give text with units such as '12h', '90m', '1h30m', or a positive TimeSpan of whole seconds."),
        };
    }
}
