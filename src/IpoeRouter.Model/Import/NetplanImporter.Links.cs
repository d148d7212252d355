using System.Globalization;
using System.Net;
using YamlDotNet.RepresentationModel;

namespace IpoeRouter.Model.Import;

public static partial class NetplanImporter
{
    private sealed partial class Reader
    {
        private void Ethernet(YamlNode nameNode, YamlMappingNode map)
        {
            string name = Text(nameNode);
            var iface = new Interface(name);
            account.Mark(Line(nameNode), ImportOutcome.Imported, $"interface {name}");
            foreach (var (key, value) in map.Children)
            {
                string k = Text(key);
                int line = Line(key);
                switch (k)
                {
                    case "dhcp4":
                        if (Bool(value) == true)
                        {
                            iface = iface with { Dhcp4 = true };
                            account.Mark(line, ImportOutcome.Imported, $"{name} dhcp4: true");
                        }
                        else
                        {
                            account.Mark(line, ImportOutcome.Absorbed, "no DHCPv4 client: the document runs none unless dhcp4: true");
                        }

                        break;
                    case "dhcp6":
                        account.Mark(line, Bool(value) == true ? ImportOutcome.NotExpressible : ImportOutcome.Absorbed, Bool(value) == true
                            ? "a DHCPv6 address (IA_NA) client is not in the document: the WAN takes its address by SLAAC, prefixes come from prefixDelegations"
                            : "no DHCPv6 address client: the document has none (prefixes come from prefixDelegations)");
                        break;
                    case "accept-ra":
                        bool ra = Bool(value) == true;
                        _takesRa[name] = ra;
                        iface = iface with { AcceptRa = ra };
                        account.Mark(line, ImportOutcome.Imported, $"{name} acceptRa: {(ra ? "true" : "false")}" + (ra ? " (the engine sets accept_ra 2 on RA-taking interfaces while forwarding)" : string.Empty));
                        break;
                    case "addresses" when value is YamlSequenceNode list:
                        account.Mark(line, ImportOutcome.Absorbed, $"list of {name}'s addresses");
                        foreach (YamlNode item in list)
                        {
                            iface = AddressItem(iface, item);
                        }

                        break;
                    case "routes" when value is YamlSequenceNode routes:
                        account.Mark(line, ImportOutcome.Absorbed, $"list of routes through {name}");
                        foreach (YamlNode item in routes)
                        {
                            RouteItem(name, item as YamlMappingNode, iface);
                        }

                        break;
                    case "mtu" when int.TryParse(Text(value), NumberStyles.None, CultureInfo.InvariantCulture, out int mtu):
                        iface = iface with { Mtu = mtu };
                        account.Mark(line, ImportOutcome.Imported, $"{name} mtu: {mtu}");
                        break;
                    case "gateway6":
                        account.Mark(line, ImportOutcome.Absorbed, "the IPv6 default route comes from the HGW's Router Advertisements");
                        break;
                    case "gateway4":
                        account.Mark(line, ImportOutcome.NotExpressible, "the IPv4 default route belongs to the DS-Lite tunnel (tunnels' defaultRoute)");
                        break;
                    case "optional":
                        account.Mark(line, ImportOutcome.Absorbed, "the engine does not hold up boot waiting for links");
                        break;
                    default:
                        Everything(key, value, ImportOutcome.NotExpressible, $"netplan key '{k}' of an ethernet is not in the document's vocabulary");
                        break;
                }
            }

            AddInterface(iface);
        }

        private Interface AddressItem(Interface iface, YamlNode item)
        {
            int line = Line(item);
            if (!InterfaceAddress.TryParse(Text(item), out InterfaceAddress? address))
            {
                account.Mark(line, ImportOutcome.NotExpressible, $"'{Text(item)}' is not an address with a prefix length");
                return iface;
            }

            if (address.IsIPv4 || address.PrefixLength != 64 || !PrefixMath.IsGlobalUnicast6(address.Address))
            {
                account.Mark(line, ImportOutcome.Imported, $"{iface.Name} address {address}");
                return iface with { Addresses = iface.Addresses.Add(new StaticAddress(address)) };
            }

            // A global /64 on a LAN that a delegation serves: the subnet id is in the bits between
            // the delegated length and 64, the host part in the low 64 bits.
            foreach (PrefixDelegation pd in delegations)
            {
                Downstream? ds = pd.Downstreams.FirstOrDefault(d => d.Interface == iface.Name);
                if (ds is null || pd.PrefixLength is not { } length)
                {
                    continue;
                }

                UInt128 value = PrefixMath.ToUInt128(address.Address);
                int subnetBits = 64 - length;
                int subnetId = (int)((value >> 64) & ((UInt128.One << subnetBits) - 1));
                IPAddress host = PrefixMath.FromUInt128(value & ulong.MaxValue);
                if (subnetId != ds.SubnetId)
                {
                    continue;
                }

                if (host.Equals(ds.EffectiveHost))
                {
                    account.Mark(line, ImportOutcome.Absorbed, $"hard-coded address in subnet {subnetId} of delegation {pd.Name}: its downstream gives {iface.Name} this address ({PrefixMath.FormatAddress(host)}) whatever the prefix");
                    return iface;
                }

                var bound = new DelegatedAddress(pd.Name, subnetId, host);
                account.Mark(line, ImportOutcome.Imported, $"hard-coded address became the binding {bound}");
                return iface with { Addresses = iface.Addresses.Add(bound) };
            }

            account.Mark(line, ImportOutcome.Imported, $"{iface.Name} address {address} (kept fixed: no delegation gives {iface.Name} a subnet to bind it to)");
            return iface with { Addresses = iface.Addresses.Add(new StaticAddress(address)) };
        }

        private void RouteItem(string via, YamlMappingNode? map, Interface iface)
        {
            if (map is null || !map.Children.TryGetValue(new YamlScalarNode("to"), out YamlNode? toNode))
            {
                if (map is not null)
                {
                    Everything(map, map, ImportOutcome.NotExpressible, "a route without 'to:'");
                }

                return;
            }

            int line = Line(map);
            string to = Text(toNode) == "default" ? "0.0.0.0/0" : Text(toNode);
            if (!PrefixMath.TryParsePrefix(to.Contains('/', StringComparison.Ordinal) ? to : to + (to.Contains(':', StringComparison.Ordinal) ? "/128" : "/32"), out IPNetwork destination))
            {
                Everything(map, map, ImportOutcome.NotExpressible, $"route destination '{to}' is not a prefix");
                return;
            }

            if (destination.PrefixLength == 0)
            {
                Everything(map, map, ImportOutcome.NotExpressible, "a default route on an ethernet: the IPv4 default belongs to the DS-Lite tunnel and the IPv6 default comes from RAs");
                return;
            }

            var route = new Route(destination) { Interface = via };
            string note = $"route {PrefixMath.Format(destination)} dev {via}";
            foreach (var (key, value) in map.Children)
            {
                switch (Text(key))
                {
                    case "to":
                        break;
                    case "via" when Address(value) is { } gw:
                        if (iface.Addresses.OfType<StaticAddress>().Any(a => a.Value.Address.Equals(gw)))
                        {
                            note += $" (via {Text(value)} is {via}'s own address: an on-link route)";
                        }
                        else
                        {
                            route = route with { Gateway = gw };
                            note += $" via {Text(value)}";
                        }

                        account.Mark(Line(key), ImportOutcome.Imported, note);
                        break;
                    case "metric" when int.TryParse(Text(value), NumberStyles.None, CultureInfo.InvariantCulture, out int metric):
                        route = route with { Metric = metric };
                        account.Mark(Line(key), ImportOutcome.Imported, $"route metric {metric}");
                        break;
                    case "scope" when Text(value) == "link":
                        account.Mark(Line(key), ImportOutcome.Absorbed, "a route without a gateway is on-link");
                        break;
                    default:
                        account.Mark(Line(key), ImportOutcome.NotExpressible, $"route key '{Text(key)}' is not in the document's vocabulary");
                        break;
                }
            }

            account.Mark(line, ImportOutcome.Imported, note);
            AddRoute(route);
        }
    }
}
