using System.Globalization;
using System.Net;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace IpoeRouter.Model.Yaml;

/// <summary>
/// Writes a <see cref="RouterDocument"/> as YAML in a canonical form: fixed key order, only
/// declared properties, durations with units, lists of plain values in flow style. Reading the
/// output gives back an equal document. Comments of a document that was read are not kept.
/// </summary>
public static partial class DocumentWriter
{
    /// <summary>The YAML text of <paramref name="document"/>.</summary>
    public static string Write(RouterDocument document)
    {
        var root = new YamlMappingNode();
        Add(root, "version", document.Version.ToString(CultureInfo.InvariantCulture));
        Add(root, "interfaces", Seq(document.Interfaces, WriteInterface));
        Add(root, "prefixDelegations", Seq(document.PrefixDelegations, WriteDelegation));
        Add(root, "tunnels", Seq(document.Tunnels, WriteTunnel));
        Add(root, "routes", Seq(document.Routes, WriteRoute));
        Add(root, "dhcpScopes", Seq(document.DhcpScopes, WriteScope));
        Add(root, "dnsForwarder", document.DnsForwarder is { } dns ? WriteDns(dns) : null);
        Add(root, "firewall", document.Firewall is { } fw ? WriteFirewallPolicy(fw) : null);
        Add(root, "firewallRules", Seq(document.FirewallRules, WriteRule));
        Add(root, "sysctl", Seq(document.Sysctl, s => Map(("name", Plain(s.Name)), ("value", Plain(s.Value)))));

        var text = new StringWriter(CultureInfo.InvariantCulture);
        var emitter = new Emitter(text, EmitterSettings.Default.WithBestIndent(2).WithBestWidth(int.MaxValue).WithIndentedSequences());
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        Emit(emitter, root);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    private static YamlMappingNode WriteInterface(Interface i) => Map(
        ("name", Plain(i.Name)),
        ("role", i.Role == InterfaceRole.None ? null : Word(i.Role)),
        ("up", Bool(i.Up)),
        ("mtu", Int(i.Mtu)),
        ("dhcp4", Bool(i.Dhcp4)),
        ("acceptRa", Bool(i.AcceptRa)),
        ("addresses", Seq(i.Addresses, WriteAddressSpec, flowIfScalars: false)));

    private static YamlNode WriteAddressSpec(AddressSpec spec) => spec switch
    {
        StaticAddress s => Plain(s.Value.ToString())!,
        DelegatedAddress d => Flow(Map(("delegation", Plain(d.Delegation)), ("subnetId", Int(d.SubnetId)), ("host", Address(d.Host)))),
        _ => throw new ArgumentOutOfRangeException(nameof(spec), spec, "Unknown address kind."),
    };

    private static YamlMappingNode WriteTunnel(Tunnel t) => Map(
        ("name", Plain(t.Name)),
        ("kind", Word(t.Kind)),
        ("remote", t.Remote switch
        {
            StaticRemote s => Address(s.Address),
            FqdnRemote f => Flow(Map(("fqdn", Plain(f.Fqdn)))),
            DiscoveredRemote d => Flow(Map(("discover", Word(d.Method)))),
            _ => throw new ArgumentOutOfRangeException(nameof(t), t.Remote, "Unknown remote kind."),
        }),
        ("local", t.Local switch
        {
            InterfaceLocal i => Flow(Map(("fromInterface", Plain(i.Interface)))),
            StaticLocal s => Address(s.Address),
            _ => throw new ArgumentOutOfRangeException(nameof(t), t.Local, "Unknown local kind."),
        }),
        ("mtu", Int(t.Mtu)),
        ("hopLimit", Int(t.HopLimit)),
        ("encapLimit", Int(t.EncapLimit)),
        ("backend", t.Backend == TunnelBackend.Auto ? null : Word(t.Backend)),
        ("probe", t.Probe is null ? null : Address(t.Probe)),
        ("defaultRoute", Bool(t.DefaultRoute)),
        ("exist", t.Exist ? null : Bool(false)));

    private static YamlMappingNode WriteDelegation(PrefixDelegation p) => Map(
        ("name", Plain(p.Name)),
        ("interface", Plain(p.Interface)),
        ("prefixLength", Int(p.PrefixLength)),
        ("duid", p.Duid is { } d ? Word(d) : null),
        ("rapidCommit", Bool(p.RapidCommit)),
        ("downstream", Seq(p.Downstreams, d => Map(
            ("interface", Plain(d.Interface)),
            ("subnetId", Int(d.SubnetId)),
            ("host", Address(d.Host))))));

    private static YamlMappingNode WriteRoute(Route r) => Map(
        ("destination", Plain(r.Key)),
        ("gateway", Address(r.Gateway)),
        ("interface", Plain(r.Interface)),
        ("metric", Int(r.Metric)),
        ("exist", r.Exist ? null : Bool(false)));

    private static YamlMappingNode WriteScope(DhcpScope s) => Map(
        ("name", s.Name == s.Interface ? null : Plain(s.Name)),
        ("interface", Plain(s.Interface)),
        ("range", s.Range is { } r ? Plain(r.ToString()) : null),
        ("leaseTime", s.LeaseTime is { } l ? Plain(Duration.Format(l)) : null),
        ("router", Address(s.Router)),
        ("dnsServers", Seq(s.DnsServers, Address)),
        ("ntpServers", Seq(s.NtpServers, Address)),
        ("domain", Plain(s.Domain)),
        ("searchList", Seq(s.SearchList, Plain)),
        ("ipv6Mode", s.Ipv6Mode is { } m ? Word(m) : null),
        ("reservations", Seq(s.Reservations, v => Map(
            ("address", Address(v.Address)),
            ("mac", Plain(v.Mac)),
            ("clientId", Plain(v.ClientId)),
            ("hostname", Plain(v.Hostname))))));

    private static YamlMappingNode WriteDns(DnsForwarder d) => Map(
        ("enabled", Bool(d.Enabled)),
        ("interfaces", Seq(d.Interfaces, Plain)),
        ("upstreams", Seq(d.Upstreams, Address)),
        ("useLearnedUpstreams", Bool(d.UseLearnedUpstreams)),
        ("cacheSize", Int(d.CacheSize)));

    private static YamlMappingNode WriteFirewallPolicy(FirewallPolicy p) => Map(
        ("input", p.Input is { } i ? Word(i) : null),
        ("forward", p.Forward is { } f ? Word(f) : null),
        ("output", p.Output is { } o ? Word(o) : null),
        ("clampMss", Bool(p.ClampMss)));
}
