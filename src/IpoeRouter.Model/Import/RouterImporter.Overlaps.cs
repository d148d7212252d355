namespace IpoeRouter.Model.Import;

public static partial class RouterImporter
{
    /// <summary>
    /// The document gives one IPv4 subnet to one link, but an HGW often numbers its LAN side (the
    /// router's WAN) like the router's LAN (the seed's 20.04 netplan: 192.168.1.2/24 on the WAN,
    /// 192.168.1.10/24 on the LAN). The LAN's address is what the clients use, so the WAN's fixed
    /// address is the one left out, and its line says so (a warning when no line can be found).
    /// </summary>
    private static RouterDocument DropOverlappingWanAddresses(RouterDocument doc, List<AccountedLine> lines, List<string> warnings)
    {
        for (int i = 0; i < doc.Interfaces.Count; i++)
        {
            Interface wan = doc.Interfaces[i];
            if (wan.Role != InterfaceRole.Wan)
            {
                continue;
            }

            foreach (StaticAddress a in wan.Addresses.OfType<StaticAddress>().Where(a => a.Value.IsIPv4).ToList())
            {
                StaticAddress? other = doc.Interfaces.Where(x => x.Name != wan.Name).SelectMany(x => x.Addresses.OfType<StaticAddress>())
                    .FirstOrDefault(b => b.Value.IsIPv4 && PrefixMath.Overlaps(a.Value.Network, b.Value.Network));
                if (other is null)
                {
                    continue;
                }

                string owner = doc.Interfaces.First(x => x.Addresses.Contains(other)).Name;
                string why = $"{a.Value} on WAN {wan.Name} overlaps {other.Value} on {owner}: the document gives one subnet to one link. Renumber one side (e.g. the LAN to 192.168.2.0/24) or take the WAN's address by DHCPv4 (dhcp4: true)";
                wan = wan with { Addresses = wan.Addresses.RemoveAll(x => x.Equals(a)) };
                int at = lines.FindIndex(l => l.Detail.StartsWith($"{wan.Name} address {a.Value}", StringComparison.Ordinal));
                if (at >= 0)
                {
                    lines[at] = lines[at] with { Outcome = ImportOutcome.NotExpressible, Detail = why };
                }

                else
                {
                    warnings.Add(why + ".");
                }
            }

            doc = doc with { Interfaces = doc.Interfaces.SetItem(i, wan) };
        }

        return doc;
    }
}
