namespace IpoeRouter.Model.Import;

/// <summary>
/// Recognises a hand-built router's files by their path relative to the folder being imported,
/// either laid out like <c>/etc</c> (<c>netplan/01-netcfg.yaml</c>, <c>dnsmasq.d/00.ipv4.conf</c>,
/// <c>wide-dhcpv6/dhcp6c.conf</c>, <c>default/wide-dhcpv6-client</c>, <c>sysctl.d/*.conf</c>,
/// <c>network/ip6tables.conf</c>, <c>crontab</c>) or flat, with the directory folded into the name
/// by a dash (<c>netplan-01-netcfg.yaml</c>, <c>dnsmasq.d-00.ipv4.conf</c>, <c>default-wide-dhcpv6-client</c>).
/// Pure: the caller lists the folder.
/// </summary>
public static class LegacySourceLayout
{
    /// <summary>The kind of the file at <paramref name="relativePath"/> (either separator), or null when it is not one the import reads.</summary>
    public static LegacySourceKind? Classify(string relativePath)
    {
        string path = relativePath.Replace('\\', '/').TrimStart('/');
        if (path.StartsWith("etc/", StringComparison.Ordinal))
        {
            path = path[4..];
        }

        string name = path[(path.LastIndexOf('/') + 1)..];
        string flat = path.Replace('/', '-');
        bool conf = name.EndsWith(".conf", StringComparison.Ordinal);
        return flat switch
        {
            _ when flat.StartsWith("netplan-", StringComparison.Ordinal) && (name.EndsWith(".yaml", StringComparison.Ordinal) || name.EndsWith(".yml", StringComparison.Ordinal)) => LegacySourceKind.Netplan,
            _ when name == "dhcp6c.conf" => LegacySourceKind.Dhcp6cConf,
            "default-wide-dhcpv6-client" => LegacySourceKind.WideDhcpv6Defaults,
            "dnsmasq.conf" => LegacySourceKind.Dnsmasq,
            _ when flat.StartsWith("dnsmasq.d-", StringComparison.Ordinal) && !name.EndsWith('~') && !name.EndsWith(".dpkg-dist", StringComparison.Ordinal) => LegacySourceKind.Dnsmasq,
            "sysctl.conf" => LegacySourceKind.Sysctl,
            _ when flat.StartsWith("sysctl.d-", StringComparison.Ordinal) && conf => LegacySourceKind.Sysctl,
            _ when name is "ip6tables.conf" or "rules.v6" or "ip6tables.rules" => LegacySourceKind.Ip6tables,
            "crontab" or "cron.d-ipoe" => LegacySourceKind.Crontab,
            _ when name.StartsWith("dhcp6c-script", StringComparison.Ordinal) || (name.StartsWith("check-", StringComparison.Ordinal) && name.EndsWith(".sh", StringComparison.Ordinal)) => LegacySourceKind.Script,
            _ => null,
        };
    }
}
