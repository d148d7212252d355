namespace IpoeRouter.Model.Validation;

public sealed partial class DocumentValidator
{
    private void CheckInterfaces()
    {
        var statics = new List<(InterfaceAddress Address, string Interface, string Path)>();
        for (int i = 0; i < _doc.Interfaces.Count; i++)
        {
            Interface iface = _doc.Interfaces[i];
            for (int a = 0; a < iface.Addresses.Count; a++)
            {
                string path = $"interfaces[{i}].addresses[{a}]";
                switch (iface.Addresses[a])
                {
                    case StaticAddress s:
                        CheckOverlap(statics, s.Value, iface.Name, path);
                        statics.Add((s.Value, iface.Name, path));
                        break;
                    case DelegatedAddress d:
                        CheckDelegatedAddress(iface, d, path);
                        break;
                }
            }
        }
    }

    /// <summary>
    /// Two interfaces in one subnet both claim it: the kernel installs two connected routes and
    /// traffic leaves by whichever wins (the seed had 192.168.1.0/24 on WAN and LAN). Link-local
    /// subnets exist once per link and are exempt.
    /// </summary>
    private void CheckOverlap(List<(InterfaceAddress Address, string Interface, string Path)> seen, InterfaceAddress address, string owner, string path)
    {
        if (address.Address.IsIPv6LinkLocal || (address.IsIPv4 && address.Address.GetAddressBytes() is [169, 254, ..]))
        {
            return;
        }

        foreach (var (other, otherOwner, _) in seen)
        {
            if (otherOwner != owner && PrefixMath.Overlaps(other.Network, address.Network))
            {
                Error(DiagnosticIds.OwnershipConflict, path,
                    other.Address.Equals(address.Address)
                        ? $"The address {address.Address} is declared on both {otherOwner} and {owner}."
                        : $"{address} on {owner} overlaps {other} on {otherOwner}; one subnet belongs to one link.");
                return;
            }
        }
    }

    private void CheckDelegatedAddress(Interface iface, DelegatedAddress d, string path)
    {
        PrefixDelegation? pd = FindDelegation(d.Delegation);
        if (pd is null)
        {
            Error(DiagnosticIds.UnknownDelegation, path + ".delegation",
                $"The address is bound to delegation '{d.Delegation}', which the document does not declare under prefixDelegations.");
            return;
        }

        CheckSubnetFits(pd, d.SubnetId, path + ".subnetId");
        ClaimSubnet(pd.Name, d.SubnetId, iface.Name, path + ".subnetId");
    }

    private void CheckSubnetFits(PrefixDelegation pd, int subnetId, string path)
    {
        if (pd.PrefixLength is { } length && subnetId >= PrefixMath.SubnetCount(length))
        {
            Error(DiagnosticIds.SubnetIdOutOfRange, path,
                $"Subnet id {subnetId} does not fit a /{length} delegation, which holds {PrefixMath.SubnetCount(length)} /64 subnets (ids 0 to {PrefixMath.SubnetCount(length) - 1}).");
        }
    }

    private void CheckDelegations()
    {
        var clientOn = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int p = 0; p < _doc.PrefixDelegations.Count; p++)
        {
            PrefixDelegation pd = _doc.PrefixDelegations[p];
            string path = $"prefixDelegations[{p}]";
            if (FindInterface(pd.Interface) is not { } wan)
            {
                Error(DiagnosticIds.UnknownInterface, path + ".interface", $"Delegation '{pd.Name}' runs on '{pd.Interface}', which is not declared under interfaces.");
            }
            else if (wan.Role == InterfaceRole.Lan)
            {
                Error(DiagnosticIds.InvalidCombination, path + ".interface", $"Delegation '{pd.Name}' would run its DHCPv6 client on {wan.Name}, a LAN interface; it belongs on the WAN.");
            }

            if (!clientOn.TryAdd(pd.Interface, pd.Name))
            {
                Error(DiagnosticIds.OwnershipConflict, path + ".interface",
                    $"Delegations '{clientOn[pd.Interface]}' and '{pd.Name}' both run a DHCPv6 client on {pd.Interface}; one client per interface requests every prefix.");
            }

            for (int d = 0; d < pd.Downstreams.Count; d++)
            {
                Downstream ds = pd.Downstreams[d];
                string dpath = $"{path}.downstream[{d}]";
                if (FindInterface(ds.Interface) is null)
                {
                    Error(DiagnosticIds.UnknownInterface, dpath + ".interface", $"Downstream '{ds.Interface}' is not declared under interfaces.");
                }
                else if (ds.Interface == pd.Interface)
                {
                    Error(DiagnosticIds.InvalidCombination, dpath + ".interface", $"{ds.Interface} is the upstream of delegation '{pd.Name}'; it cannot also be a downstream.");
                }

                else if (FindInterface(ds.Interface) is { Role: InterfaceRole.Wan })
                {
                    Error(DiagnosticIds.InvalidCombination, dpath + ".interface", $"{ds.Interface} is a WAN interface; a delegated /64 and its Router Advertisements belong on a LAN.");
                }

                CheckSubnetFits(pd, ds.SubnetId, dpath + ".subnetId");
                ClaimSubnet(pd.Name, ds.SubnetId, ds.Interface, dpath + ".subnetId");
            }
        }
    }

    /// <summary>Records that <paramref name="owner"/> uses a delegated /64; a second owner is a conflict.</summary>
    private void ClaimSubnet(string delegation, int subnetId, string owner, string path)
    {
        if (!_subnetOwners.TryAdd((delegation, subnetId), owner) && _subnetOwners[(delegation, subnetId)] != owner)
        {
            Error(DiagnosticIds.OwnershipConflict, path,
                $"Subnet {subnetId} of delegation '{delegation}' is given to both {_subnetOwners[(delegation, subnetId)]} and {owner}; one /64 belongs to one link.");
        }
    }

    private void CheckTunnels()
    {
        string? defaultRouteOwner = null;
        for (int t = 0; t < _doc.Tunnels.Count; t++)
        {
            Tunnel tunnel = _doc.Tunnels[t];
            string path = $"tunnels[{t}]";
            if (!tunnel.Exist)
            {
                continue;
            }

            if (tunnel.Local is InterfaceLocal local)
            {
                if (FindInterface(local.Interface) is not { } source)
                {
                    Error(DiagnosticIds.UnknownInterface, path + ".local",
                        $"Tunnel {tunnel.Name} takes its local address from '{local.Interface}', which is not declared under interfaces.");
                }
                else if (!CanHaveGlobalIpv6(source))
                {
                    Error(DiagnosticIds.BindingNeverResolves, path + ".local",
                        $"Tunnel {tunnel.Name} takes its local address from {source.Name}, which never gets a global IPv6 address: it takes no RAs (acceptRa false) and has no IPv6 address declared.");
                }
            }

            if (tunnel.Kind != TunnelKind.DsLite)
            {
                Warn(DiagnosticIds.NotImplemented, path + ".kind",
                    $"Tunnel kind {Yaml.YamlNames.Of(tunnel.Kind)} is part of the model but not built yet; tunnel {tunnel.Name} will stay pending.");
            }

            if (tunnel.Remote is DiscoveredRemote { Method: RemoteDiscovery.Hb46pp })
            {
                Warn(DiagnosticIds.NotImplemented, path + ".remote",
                    $"AFTR discovery by hb46pp is not built yet; tunnel {tunnel.Name} will stay pending. Give the address, the FQDN or discover: dhcpv6 meanwhile.");
            }
            else if (tunnel.Remote is DiscoveredRemote && _doc.PrefixDelegations.Count == 0)
            {
                Error(DiagnosticIds.BindingNeverResolves, path + ".remote",
                    $"Tunnel {tunnel.Name} takes its AFTR from the DHCPv6 AFTR-Name (option 64), which comes with a prefix delegation, and none is declared under prefixDelegations.");
            }
            else if (tunnel.Remote is FqdnRemote fqdn && _doc.PrefixDelegations.Count == 0 && !_doc.Interfaces.Any(i => i.Role == InterfaceRole.Wan && i.AcceptRa != false))
            {
                Warn(DiagnosticIds.BindingNeverResolves, path + ".remote",
                    $"Tunnel {tunnel.Name} resolves {fqdn.Fqdn} through the WAN's DNS servers, and this document learns none (no prefix delegation's DHCPv6 DNS, no WAN taking RAs with RDNSS).");
            }

            if (tunnel.EffectiveDefaultRoute)
            {
                if (defaultRouteOwner is not null)
                {
                    Error(DiagnosticIds.OwnershipConflict, path + ".defaultRoute",
                        $"Tunnels {defaultRouteOwner} and {tunnel.Name} both claim the IPv4 default route; set defaultRoute: false on one.");
                }

                defaultRouteOwner ??= tunnel.Name;
            }
        }

        for (int r = 0; r < _doc.Routes.Count; r++)
        {
            Route route = _doc.Routes[r];
            if (defaultRouteOwner is not null && route.Exist && route.Destination.PrefixLength == 0 && IsV4(route.Destination.BaseAddress))
            {
                Error(DiagnosticIds.OwnershipConflict, $"routes[{r}].destination",
                    $"The IPv4 default route is already owned by tunnel {defaultRouteOwner} (defaultRoute); declare it in one place.");
            }
        }
    }

    private void CheckRoutes()
    {
        for (int r = 0; r < _doc.Routes.Count; r++)
        {
            Route route = _doc.Routes[r];
            if (route.Exist && route.Gateway is null && route.Interface is null)
            {
                Error(DiagnosticIds.InvalidCombination, $"routes[{r}]",
                    $"The route to {route.Key} needs a gateway, an interface, or both.");
            }
        }
    }
}
