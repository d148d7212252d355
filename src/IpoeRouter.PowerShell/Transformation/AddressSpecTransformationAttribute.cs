using System.Collections;
using System.Management.Automation;
using System.Net;
using IpoeRouter.Model;

namespace IpoeRouter.Commands.Transformation;

/// <summary>
/// Turns <c>'192.168.1.10/24'</c> into a fixed address and <c>@{ delegation='hgw'; subnetId=1; host='::1' }</c>
/// into a delegated one, as the YAML document spells them.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class AddressSpecTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc/>
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData) =>
        inputData is not string && inputData is IList list
            ? list.Cast<object>().Select(One).ToArray()
            : new[] { One(inputData) };

    private static AddressSpec One(object input)
    {
        object value = input is PSObject ps ? ps.BaseObject : input;
        switch (value)
        {
            case AddressSpec spec:
                return spec;
            case string text when InterfaceAddress.TryParse(text, out InterfaceAddress? a):
                return new StaticAddress(a);
            case IDictionary map:
                string? delegation = Lookup(map, "delegation")?.ToString();
                string? id = Lookup(map, "subnetId")?.ToString();
                string host = Lookup(map, "host")?.ToString() ?? "::1";
                if (delegation is not null && int.TryParse(id, out int subnetId) && subnetId >= 0
                    && PrefixMath.TryParseAddress(host, out IPAddress? h) && PrefixMath.IsInterfaceIdentifier(h))
                {
                    return new DelegatedAddress(delegation, subnetId, h);
                }

                break;
        }

        throw new ArgumentTransformationMetadataException(
            $"'{value}' is not an address: give 'address/length' such as 192.168.1.10/24, or @{{ delegation = 'hgw'; subnetId = 1; host = '::1' }}.");
    }

    internal static object? Lookup(IDictionary map, string key)
    {
        foreach (DictionaryEntry e in map)
        {
            if (string.Equals(e.Key?.ToString(), key, StringComparison.OrdinalIgnoreCase))
            {
                return e.Value is PSObject p ? p.BaseObject : e.Value;
            }
        }

        return null;
    }
}
