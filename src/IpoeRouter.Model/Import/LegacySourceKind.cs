namespace IpoeRouter.Model.Import;

/// <summary>What a file of a hand-built router is, as far as the import is concerned.</summary>
public enum LegacySourceKind
{
    /// <summary>A netplan YAML file (<c>/etc/netplan/*.yaml</c>).</summary>
    Netplan,

    /// <summary>wide-dhcpv6-client's <c>dhcp6c.conf</c>.</summary>
    Dhcp6cConf,

    /// <summary><c>/etc/default/wide-dhcpv6-client</c>.</summary>
    WideDhcpv6Defaults,

    /// <summary>A dnsmasq configuration file (<c>dnsmasq.conf</c>, <c>dnsmasq.d/*</c>).</summary>
    Dnsmasq,

    /// <summary><c>sysctl.conf</c> or a <c>sysctl.d</c> file.</summary>
    Sysctl,

    /// <summary>An ip6tables-save file.</summary>
    Ip6tables,

    /// <summary>A crontab.</summary>
    Crontab,

    /// <summary>A script a crontab or dhcp6c runs (a watchdog or a hook).</summary>
    Script,
}
