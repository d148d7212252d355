using System.Management.Automation;
using System.Net;
using IpoeRouter.Commands.Completion;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>Changes the DNS forwarder settings.</summary>
/// <example>
/// <code>Set-IpoeDnsForwarder -Enabled -Interface enp2s0 -Upstream 192.168.1.1 -CacheSize 1000</code>
/// <para>Answers DNS on the LAN enp2s0, forwarding to the HGW, with a cache of 1000 answers.</para>
/// </example>
[Cmdlet(VerbsCommon.Set, "IpoeDnsForwarder", SupportsShouldProcess = true)]
[OutputType(typeof(DnsForwarder))]
public sealed class SetIpoeDnsForwarderCommand : ClearableSetCmdlet<DnsForwarder>
{
    /// <summary>Run the forwarder.</summary>
    [Parameter]
    public SwitchParameter Enabled { get; set; }

    /// <summary>Interfaces to answer on (LAN only).</summary>
    [Parameter]
    [AllowEmptyCollection]
    [ArgumentCompleter(typeof(InterfaceNameCompleter))]
    public string[]? Interface { get; set; }

    /// <summary>Configured upstream servers.</summary>
    [Parameter]
    [AllowEmptyCollection]
    public IPAddress[]? Upstream { get; set; }

    /// <summary>Use upstreams learnt from DHCPv6 and RA.</summary>
    [Parameter]
    public SwitchParameter UseLearnedUpstreams { get; set; }

    /// <summary>Cache entries.</summary>
    [Parameter]
    [ValidateRange(0, 10_000_000)]
    public int CacheSize { get; set; }

    /// <inheritdoc/>
    protected override string Key => "dnsForwarder";

    /// <inheritdoc/>
    protected override string What => "DNS forwarder";

    /// <inheritdoc/>
    protected override DnsForwarder? Find(RouterDocument document, string key) => document.DnsForwarder;

    /// <inheritdoc/>
    protected override RouterDocument With(RouterDocument document, DnsForwarder item) =>
        document with { DnsForwarder = item == new DnsForwarder() ? null : item };

    /// <inheritdoc/>
    protected override DnsForwarder Build(DnsForwarder? existing, RouterDocument document)
    {
        DnsForwarder current = existing ?? new DnsForwarder();
        return current with
        {
            Enabled = Pick(nameof(Enabled), (bool?)Enabled.IsPresent, current.Enabled),
            Interfaces = Pick(nameof(Interface), ValueList<string>.From(Interface), current.Interfaces, ValueList<string>.Empty),
            Upstreams = Pick(nameof(Upstream), ValueList<IPAddress>.From(Upstream), current.Upstreams, ValueList<IPAddress>.Empty),
            UseLearnedUpstreams = Pick(nameof(UseLearnedUpstreams), (bool?)UseLearnedUpstreams.IsPresent, current.UseLearnedUpstreams),
            CacheSize = Pick(nameof(CacheSize), (int?)CacheSize, current.CacheSize),
        };
    }
}
