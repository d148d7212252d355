using System.Management.Automation;
using IpoeRouter.Model;

namespace IpoeRouter.Commands.Transformation;

/// <summary>Accepts a <see cref="TimeSpan"/> or the document's duration text (<c>'12h'</c>, <c>'90m'</c>).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class DurationTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc/>
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        object value = inputData is PSObject ps ? ps.BaseObject : inputData;
        return value switch
        {
            TimeSpan t => t,
            string s when Duration.TryParse(s, out TimeSpan d) => d,
            string s when TimeSpan.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out TimeSpan d) => d,
            _ => throw new ArgumentTransformationMetadataException($"'{value}' is not a duration: give a TimeSpan or text such as '12h', '90m', '1h30m'."),
        };
    }
}
