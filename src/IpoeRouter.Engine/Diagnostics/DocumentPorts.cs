using IpoeRouter.Engine.Runtime;
using IpoeRouter.Model;

namespace IpoeRouter.Engine.Diagnostics;

/// <summary>The ports the embedded services open for a document: what a conflict on a port breaks.</summary>
public static class DocumentPorts
{
    /// <summary>
    /// The ports <paramref name="document"/> needs: the DHCPv6-PD client's 546 with a delegation, the
    /// stateless DHCPv6 server's 547 on a stateless downstream, DHCPv4 67/68 with a DHCPv4 scope or a
    /// <c>dhcp4: true</c> interface, DNS 53 when the forwarder serves a LAN.
    /// </summary>
    public static IReadOnlyList<ServicePort> NeededBy(RouterDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var needed = new List<ServicePort>();
        if (document.PrefixDelegations.Count > 0)
        {
            needed.Add(ServicePort.Dhcp6Client);
        }

        if (document.PrefixDelegations.SelectMany(pd => pd.Downstreams).Any(d => document.DhcpScopes.FirstOrDefault(s => s.Interface == d.Interface)?.Ipv6Mode is null or Ipv6Mode.Stateless))
        {
            needed.Add(ServicePort.Dhcp6Server);
        }

        if (document.DhcpScopes.Any(s => Dhcp4Scopes.ToConfig(s, document) is not null))
        {
            needed.Add(ServicePort.Dhcp4Server);
        }

        if (document.Interfaces.Any(i => i.Dhcp4 == true))
        {
            needed.Add(ServicePort.Dhcp4Client);
        }

        if (DnsForwarding.ServedInterfaces(document).Count > 0)
        {
            needed.AddRange([ServicePort.DnsUdp, ServicePort.DnsTcp]);
        }

        return needed;
    }
}
