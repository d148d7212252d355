using System.Management.Automation;
using System.Net;
using IpoeRouter.Commands.Completion;
using IpoeRouter.Commands.Transformation;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>
/// Declares DHCP service on a LAN interface or changes it. The scope is named after its interface
/// unless <c>-Name</c> says otherwise. Router and DNS default to the interface's own address.
/// </summary>
/// <example>
/// <code>Set-IpoeDhcpScope -Interface enp2s0 -Range 192.168.1.200-192.168.1.250 -LeaseTime 12h -Ipv6Mode Stateless</code>
/// <para>Serves DHCPv4 on enp2s0 from a pool of 51 addresses with 12-hour leases, and IPv6 clients by SLAAC plus stateless DHCPv6.</para>
/// </example>
[Cmdlet(VerbsCommon.Set, "IpoeDhcpScope", SupportsShouldProcess = true)]
[OutputType(typeof(DhcpScope))]
public sealed class SetIpoeDhcpScopeCommand : ClearableSetCmdlet<DhcpScope>
{
    /// <summary>The scope's name (default: the interface name).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    public string? Name { get; set; }

    /// <summary>The LAN interface served.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(InterfaceNameCompleter))]
    public string? Interface { get; set; }

    /// <summary>The dynamic pool, <c>first-last</c>.</summary>
    [Parameter]
    public string? Range { get; set; }

    /// <summary>Lease time: a TimeSpan or text such as <c>12h</c>.</summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan LeaseTime { get; set; }

    /// <summary>Option 3.</summary>
    [Parameter]
    public IPAddress? Router { get; set; }

    /// <summary>Option 6.</summary>
    [Parameter]
    [AllowEmptyCollection]
    public IPAddress[]? DnsServer { get; set; }

    /// <summary>Option 42.</summary>
    [Parameter]
    [AllowEmptyCollection]
    public IPAddress[]? NtpServer { get; set; }

    /// <summary>Option 15.</summary>
    [Parameter]
    public string? Domain { get; set; }

    /// <summary>Option 119 and the IPv6 domain list.</summary>
    [Parameter]
    [AllowEmptyCollection]
    public string[]? SearchList { get; set; }

    /// <summary>How IPv6 clients are served.</summary>
    [Parameter]
    public Ipv6Mode Ipv6Mode { get; set; }

    /// <inheritdoc/>
    protected override string Key => Name ?? Interface ?? string.Empty;

    /// <inheritdoc/>
    protected override string What => "DHCP scope";

    /// <inheritdoc/>
    protected override DhcpScope? Find(RouterDocument document, string key) => document.DhcpScopes.FirstOrDefault(s => s.Name == key);

    /// <inheritdoc/>
    protected override RouterDocument With(RouterDocument document, DhcpScope item) => document.WithDhcpScope(item);

    /// <inheritdoc/>
    protected override DhcpScope Build(DhcpScope? existing, RouterDocument document)
    {
        if (Key.Length == 0)
        {
            throw Required(nameof(Interface), "a scope is named by -Name or by its -Interface.");
        }

        if (!Names.IsValidResourceName(Key))
        {
            throw Invalid(nameof(Name), Key, "a name starts with a letter or digit, then letters, digits, '.', '_' or '-'.");
        }

        string iface = Interface ?? existing?.Interface ?? throw Required(nameof(Interface), "the LAN interface the scope serves.");
        AddressRange? range = null;
        if (Range is not null && !ValueText.TryParseRange(Range, out range))
        {
            throw Invalid(nameof(Range), Range, "an IPv4 range such as 192.168.1.200-192.168.1.250.");
        }

        foreach (string domain in (SearchList ?? []).Append(Domain).OfType<string>())
        {
            if (!Names.IsValidDomainName(domain))
            {
                throw Invalid(nameof(Domain), domain, "a domain name such as home.arpa.");
            }
        }

        DhcpScope current = existing ?? new DhcpScope(Key, iface);
        return current with
        {
            Interface = iface,
            Range = Pick(nameof(Range), range, current.Range),
            LeaseTime = Pick(nameof(LeaseTime), (TimeSpan?)LeaseTime, current.LeaseTime),
            Router = Pick(nameof(Router), Router, current.Router),
            DnsServers = Pick(nameof(DnsServer), ValueList<IPAddress>.From(DnsServer), current.DnsServers, ValueList<IPAddress>.Empty),
            NtpServers = Pick(nameof(NtpServer), ValueList<IPAddress>.From(NtpServer), current.NtpServers, ValueList<IPAddress>.Empty),
            Domain = Pick(nameof(Domain), Domain, current.Domain),
            SearchList = Pick(nameof(SearchList), ValueList<string>.From(SearchList), current.SearchList, ValueList<string>.Empty),
            Ipv6Mode = Pick(nameof(Ipv6Mode), (Ipv6Mode?)Ipv6Mode, current.Ipv6Mode),
        };
    }
}
