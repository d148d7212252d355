using System.Collections;
using System.Management.Automation;
using IpoeRouter.Model;

namespace IpoeRouter.Commands.Transformation;

/// <summary>
/// Turns <c>'fe80::/10'</c> into a prefix match and <c>@{ delegatedPrefix='hgw' }</c>,
/// <c>@{ lanSubnet='enp2s0' }</c> or <c>@{ tunnelRemote='ip6tnl1' }</c> into a binding.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class AddressMatchTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc/>
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        object value = inputData is PSObject ps ? ps.BaseObject : inputData;
        switch (value)
        {
            case AddressMatch match:
                return match;
            case string text when PrefixMath.TryParsePrefix(text, out System.Net.IPNetwork prefix):
                return new PrefixMatch(prefix);
            case IDictionary map when map.Count == 1:
                if (AddressSpecTransformationAttribute.Lookup(map, "delegatedPrefix") is { } d)
                {
                    return new DelegatedPrefixMatch(d.ToString()!);
                }

                if (AddressSpecTransformationAttribute.Lookup(map, "lanSubnet") is { } l)
                {
                    return new LanSubnetMatch(l.ToString()!);
                }

                if (AddressSpecTransformationAttribute.Lookup(map, "tunnelRemote") is { } t)
                {
                    return new TunnelRemoteMatch(t.ToString()!);
                }

                break;
        }

        throw new ArgumentTransformationMetadataException(
            $"'{value}' is not an address match: give a prefix such as fe80::/10, or @{{ delegatedPrefix = 'hgw' }}, @{{ lanSubnet = 'enp2s0' }}, @{{ tunnelRemote = 'ip6tnl1' }}.");
    }
}
