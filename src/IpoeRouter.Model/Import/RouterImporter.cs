namespace IpoeRouter.Model.Import;

/// <summary>
/// Reads a hand-built router's files into one document: dhcp6c.conf first (its delegations say
/// which interface is the WAN and which subnets the LANs have), then netplan, the init script's
/// defaults, dnsmasq, sysctl, ip6tables and the cron glue. Interfaces named by several files are
/// merged (a role from dhcp6c or dnsmasq, acceptRa from netplan or sysctl). Pure: the caller
/// finds and reads the files (<see cref="LegacySourceLayout"/> tells what each is).
/// </summary>
public static partial class RouterImporter
{
    /// <summary>Imports <paramref name="sources"/>.</summary>
    /// <exception cref="IpoeException">
    /// <see cref="ImportErrorIds.ImportSourceEmpty"/> when there is nothing to import;
    /// <see cref="ImportErrorIds.ImportSourceConflict"/> when two netplan files define the same interface or tunnel;
    /// <see cref="ImportErrorIds.ImportSourceSyntaxError"/> from a file that cannot be parsed.
    /// </exception>
    public static RouterImport Import(IReadOnlyList<(LegacySourceKind Kind, SourceText Source)> sources)
    {
        if (sources.Count == 0)
        {
            throw new IpoeException(ImportErrorIds.ImportSourceEmpty, ErrorKind.ObjectNotFound, "There is no netplan, dhcp6c, dnsmasq, sysctl, ip6tables or cron file to import.");
        }

        List<SourceText> Of(LegacySourceKind kind) =>
            sources.Where(s => s.Kind == kind).Select(s => s.Source).OrderBy(s => s.File, StringComparer.Ordinal).ToList();

        var parts = new List<SourceImport>();
        parts.AddRange(Of(LegacySourceKind.Dhcp6cConf).Select(Dhcp6cConfImporter.Import));
        PrefixDelegation[] delegations = parts.SelectMany(p => p.Fragment.PrefixDelegations).ToArray();
        List<SourceImport> netplan = Of(LegacySourceKind.Netplan).Select(s => NetplanImporter.Import(s, delegations)).ToList();
        CheckNoRedefinition(netplan);
        parts.InsertRange(0, netplan);
        parts.AddRange(Of(LegacySourceKind.WideDhcpv6Defaults).Select(s => WideDhcpv6DefaultsImporter.Import(s, delegations)));
        if (Of(LegacySourceKind.Dnsmasq) is { Count: > 0 } dnsmasq)
        {
            parts.Add(DnsmasqImporter.Import(dnsmasq));
        }

        if (Of(LegacySourceKind.Sysctl) is { Count: > 0 } sysctl)
        {
            parts.Add(SysctlConfImporter.Import(sysctl));
        }

        parts.AddRange(Of(LegacySourceKind.Ip6tables).Select(FirewallSourceImporter.Import));
        List<SourceText> scripts = Of(LegacySourceKind.Script);
        parts.AddRange(Of(LegacySourceKind.Crontab).Select(c => WatchdogImporter.ImportCrontab(c, scripts)));
        parts.AddRange(scripts.Select(WatchdogImporter.ImportScript));

        var warnings = new List<string>();
        RouterDocument doc = Merge(parts.Select(p => p.Fragment), warnings);
        List<AccountedLine> lines = parts.SelectMany(p => p.Lines).ToList();
        doc = DropOverlappingWanAddresses(doc, lines, warnings);
        if (doc.FirewallRules.Count > 0 && doc.FirewallRules.All(r => r.Family == FirewallFamily.Ip6))
        {
            warnings.Add("The firewall came from an ip6tables file: its rules match IPv6 only, while the chain policies apply to IPv4 too, which the old router left open. Add IPv4 rules (a DHCPv4 client answer on the WAN, replies through the tunnel, output to the tunnel) before applying.");
        }

        return new RouterImport(doc, lines, warnings);
    }

    private static RouterDocument Merge(IEnumerable<RouterDocument> fragments, List<string> warnings)
    {
        var doc = RouterDocument.Empty;
        foreach (RouterDocument f in fragments)
        {
            foreach (Interface i in f.Interfaces)
            {
                int at = doc.Interfaces.ToList().FindIndex(x => x.Name == i.Name);
                doc = at < 0
                    ? doc with { Interfaces = doc.Interfaces.Add(i) }
                    : doc with { Interfaces = doc.Interfaces.SetItem(at, MergeInterface(doc.Interfaces[at], i, warnings)) };
            }

            doc = doc with
            {
                Tunnels = ValueList<Tunnel>.From(doc.Tunnels.Concat(f.Tunnels)),
                Routes = ValueList<Route>.From(doc.Routes.Concat(f.Routes)),
                PrefixDelegations = ValueList<PrefixDelegation>.From(doc.PrefixDelegations.Concat(f.PrefixDelegations)),
                DhcpScopes = ValueList<DhcpScope>.From(doc.DhcpScopes.Concat(f.DhcpScopes)),
                FirewallRules = ValueList<FirewallRule>.From(doc.FirewallRules.Concat(f.FirewallRules)),
                Sysctl = ValueList<SysctlSetting>.From(doc.Sysctl.Concat(f.Sysctl)),
                Firewall = f.Firewall ?? doc.Firewall,
                DnsForwarder = f.DnsForwarder ?? doc.DnsForwarder,
            };
        }

        return doc;
    }

    private static Interface MergeInterface(Interface a, Interface b, List<string> warnings)
    {
        T? Pick<T>(T? first, T? second, string what) where T : struct
        {
            if (first is { } x && second is { } y && !x.Equals(y))
            {
                warnings.Add($"Interface {a.Name}: {what} is {x} in one file and {y} in another; the document keeps {x}.");
            }

            return first ?? second;
        }

        InterfaceRole role = a.Role;
        if (a.Role == InterfaceRole.None)
        {
            role = b.Role;
        }
        else if (b.Role != InterfaceRole.None && b.Role != a.Role)
        {
            warnings.Add($"Interface {a.Name} is {a.Role} by one file and {b.Role} by another; the document keeps {a.Role}.");
        }

        return a with
        {
            Role = role,
            Dhcp4 = Pick(a.Dhcp4, b.Dhcp4, "dhcp4"),
            AcceptRa = Pick(a.AcceptRa, b.AcceptRa, "acceptRa"),
            Mtu = Pick(a.Mtu, b.Mtu, "mtu"),
            Up = Pick(a.Up, b.Up, "up"),
            Addresses = ValueList<AddressSpec>.From(a.Addresses.Concat(b.Addresses.Where(x => !a.Addresses.Contains(x)))),
        };
    }

    private static void CheckNoRedefinition(List<SourceImport> netplan)
    {
        var seen = new Dictionary<string, AccountedLine>(StringComparer.Ordinal);
        foreach (SourceImport file in netplan)
        {
            IEnumerable<string> keys = file.Fragment.Interfaces.Select(i => "interface " + i.Name).Concat(file.Fragment.Tunnels.Select(t => "tunnel " + t.Name));
            foreach (string key in keys)
            {
                AccountedLine at = file.Lines.First(l => l.Detail.StartsWith(key, StringComparison.Ordinal));
                if (seen.TryGetValue(key, out AccountedLine? first))
                {
                    throw new IpoeException(ImportErrorIds.ImportSourceConflict, ErrorKind.InvalidData,
                        $"{at.Location}: {key} is defined again (first at {first.Location}); these look like two versions of one netplan file: import one of them (Import-IpoeRouter -Exclude).", at.Location);
                }

                seen[key] = at;
            }
        }
    }
}
