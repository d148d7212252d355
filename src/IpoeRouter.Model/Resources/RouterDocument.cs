namespace IpoeRouter.Model;

/// <summary>
/// The whole desired state of one router: what <c>/etc/ipoe/router.yaml</c> holds. Immutable;
/// the <c>With…</c>/<c>Without…</c> methods return changed copies.
/// </summary>
public sealed partial record RouterDocument
{
    /// <summary>The only document version this build reads and writes.</summary>
    public const int CurrentVersion = 1;

    /// <summary>The document version.</summary>
    public int Version { get; init; } = CurrentVersion;

    /// <summary>Managed interfaces.</summary>
    public ValueList<Interface> Interfaces { get; init; } = ValueList<Interface>.Empty;

    /// <summary>IPv4-over-IPv6 tunnels.</summary>
    public ValueList<Tunnel> Tunnels { get; init; } = ValueList<Tunnel>.Empty;

    /// <summary>DHCPv6 prefix delegations.</summary>
    public ValueList<PrefixDelegation> PrefixDelegations { get; init; } = ValueList<PrefixDelegation>.Empty;

    /// <summary>DHCP service per LAN.</summary>
    public ValueList<DhcpScope> DhcpScopes { get; init; } = ValueList<DhcpScope>.Empty;

    /// <summary>Base chain policies; null: the safe defaults.</summary>
    public FirewallPolicy? Firewall { get; init; }

    /// <summary>Firewall rules in evaluation order.</summary>
    public ValueList<FirewallRule> FirewallRules { get; init; } = ValueList<FirewallRule>.Empty;

    /// <summary>Kernel parameters.</summary>
    public ValueList<SysctlSetting> Sysctl { get; init; } = ValueList<SysctlSetting>.Empty;

    /// <summary>Static routes.</summary>
    public ValueList<Route> Routes { get; init; } = ValueList<Route>.Empty;

    /// <summary>The DNS forwarder; null: defaults.</summary>
    public DnsForwarder? DnsForwarder { get; init; }

    /// <summary>An empty document of the current version.</summary>
    public static RouterDocument Empty { get; } = new();

    /// <summary>True when the document turns IPv6 forwarding on (<c>net.ipv6.conf.all.forwarding = 1</c>).</summary>
    public bool Ipv6ForwardingOn =>
        Sysctl.Any(s => s.IsConfKey("ipv6", "all", "forwarding") && s.Value.Trim() != "0");
}
