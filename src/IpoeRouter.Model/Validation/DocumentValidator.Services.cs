using System.Net;

namespace IpoeRouter.Model.Validation;

public sealed partial class DocumentValidator
{
    private void CheckDhcpScopes()
    {
        var scopeOn = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int s = 0; s < _doc.DhcpScopes.Count; s++)
        {
            DhcpScope scope = _doc.DhcpScopes[s];
            string path = $"dhcpScopes[{s}]";
            if (!scopeOn.TryAdd(scope.Interface, scope.Name))
            {
                Error(DiagnosticIds.OwnershipConflict, path + ".interface",
                    $"Scopes '{scopeOn[scope.Interface]}' and '{scope.Name}' both serve {scope.Interface}; one DHCP server answers per interface.");
            }

            if (FindInterface(scope.Interface) is not { } iface)
            {
                Error(DiagnosticIds.UnknownInterface, path + ".interface", $"Scope '{scope.Name}' serves '{scope.Interface}', which is not declared under interfaces.");
                continue;
            }

            if (iface.Role == InterfaceRole.Wan)
            {
                Error(DiagnosticIds.InvalidCombination, path + ".interface",
                    $"{iface.Name} is a WAN interface; a DHCP server there would answer the HGW's other clients. Serve DHCP on a LAN.");
            }
            else if (iface.Dhcp4 == true)
            {
                Error(DiagnosticIds.InvalidCombination, path + ".interface",
                    $"{iface.Name} gets its own IPv4 address by DHCP (dhcp4: true); it cannot also be the DHCP server there.");
            }

            if (scope.LeaseTime is { } lease && (lease < s_minLeaseTime || lease.TotalSeconds >= uint.MaxValue))
            {
                Error(DiagnosticIds.ValueOutOfRange, path + ".leaseTime",
                    $"A lease of {Duration.Format(lease)} is out of range: at least {Duration.Format(s_minLeaseTime)}, and less than 2^32 seconds (what DHCP option 51 holds).");
            }

            if (scope.Range is null && scope.Reservations.Count == 0)
            {
                continue;
            }

            InterfaceAddress? subnet = iface.Addresses.OfType<StaticAddress>().Select(a => a.Value).FirstOrDefault(a => a.IsIPv4);
            if (subnet is null)
            {
                Error(DiagnosticIds.DhcpScopeWithoutAddress, path + ".interface",
                    $"Scope '{scope.Name}' hands out IPv4 addresses on {iface.Name}, which has no static IPv4 address to serve from; add one, e.g. 192.168.1.1/24.");
                continue;
            }

            CheckScopeAddresses(scope, subnet, path);
        }
    }

    private static readonly TimeSpan s_minLeaseTime = TimeSpan.FromMinutes(1);

    private void CheckScopeAddresses(DhcpScope scope, InterfaceAddress subnet, string path)
    {
        IPNetwork network = subnet.Network;
        uint first = PrefixMath.ToUInt32(network.BaseAddress);
        uint last = first + (uint)((1UL << (32 - subnet.PrefixLength)) - 1);
        bool Usable(IPAddress a) => network.Contains(a) && (subnet.PrefixLength >= 31 || (PrefixMath.ToUInt32(a) != first && PrefixMath.ToUInt32(a) != last));

        if (scope.Range is { } range)
        {
            if (!Usable(range.First) || !Usable(range.Last))
            {
                Error(DiagnosticIds.DhcpRangeOutsideSubnet, path + ".range",
                    $"The range {range} is not inside the usable addresses of {subnet.Network} (the subnet of {scope.Interface}'s {subnet}).");
            }
            else if (range.Contains(subnet.Address))
            {
                Error(DiagnosticIds.OwnershipConflict, path + ".range",
                    $"The range {range} includes {subnet.Address}, the router's own address on {scope.Interface}.");
            }
        }

        if (scope.Router is { } router && !network.Contains(router))
        {
            Error(DiagnosticIds.DhcpRangeOutsideSubnet, path + ".router", $"The router option {router} is not in {PrefixMath.Format(network)}, so clients could not reach it.");
        }

        var byAddress = new Dictionary<IPAddress, int>();
        var byClient = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int r = 0; r < scope.Reservations.Count; r++)
        {
            DhcpReservation res = scope.Reservations[r];
            string rpath = $"{path}.reservations[{r}]";
            if (!Usable(res.Address))
            {
                Error(DiagnosticIds.DhcpRangeOutsideSubnet, rpath + ".address", $"The reserved address {res.Address} is not a usable address of {PrefixMath.Format(network)}.");
            }
            else if (res.Address.Equals(subnet.Address))
            {
                Error(DiagnosticIds.OwnershipConflict, rpath + ".address", $"The reserved address {res.Address} is the router's own address on {scope.Interface}.");
            }

            if (!byAddress.TryAdd(res.Address, r))
            {
                Error(DiagnosticIds.OwnershipConflict, rpath + ".address", $"{res.Address} is reserved twice (also reservations[{byAddress[res.Address]}]).");
            }

            string client = res.Mac ?? res.ClientId ?? string.Empty;
            if (client.Length > 0 && !byClient.TryAdd(client, r))
            {
                Error(DiagnosticIds.OwnershipConflict, rpath, $"Client {client} has two reservations (also reservations[{byClient[client]}]).");
            }
        }
    }

    private void CheckDnsForwarder()
    {
        if (_doc.DnsForwarder is not { } dns)
        {
            return;
        }

        for (int i = 0; i < dns.Interfaces.Count; i++)
        {
            string name = dns.Interfaces[i];
            string path = $"dnsForwarder.interfaces[{i}]";
            if (FindInterface(name) is not { } iface)
            {
                Error(DiagnosticIds.UnknownInterface, path, $"The DNS forwarder would answer on '{name}', which is not declared under interfaces.");
            }
            else if (iface.Role == InterfaceRole.Wan)
            {
                Error(DiagnosticIds.InvalidCombination, path, $"{name} is a WAN interface; the DNS forwarder never answers on the WAN side.");
            }
        }
    }
}
