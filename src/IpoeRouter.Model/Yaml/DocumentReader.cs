using System.Net.Sockets;
using YamlDotNet.RepresentationModel;

namespace IpoeRouter.Model.Yaml;

/// <summary>The outcome of reading YAML text: the document if there was no error, and every diagnostic with its location.</summary>
public sealed record DocumentReadResult(RouterDocument? Document, IReadOnlyList<Diagnostic> Diagnostics, SourceMap SourceMap)
{
    /// <summary>True when an error was found; <see cref="Document"/> is then null.</summary>
    public bool HasErrors => Document is null;
}

/// <summary>
/// Reads the YAML form of a <see cref="RouterDocument"/> strictly: <c>version: 1</c>, camelCase
/// keys, unknown keys refused, durations with units, every error with file:line:col and an id.
/// Pure: text in, values out.
/// </summary>
public static partial class DocumentReader
{
    private static readonly string[] s_topKeys =
    [
        "version", "interfaces", "tunnels", "prefixDelegations", "dhcpScopes",
        "firewall", "firewallRules", "sysctl", "routes", "dnsForwarder",
    ];

    /// <summary>Reads <paramref name="text"/>; <paramref name="file"/> names it in locations.</summary>
    public static DocumentReadResult Read(string text, string file)
    {
        var c = new ReadContext(file);
        if (!YamlTextLoader.TryLoad(text, out YamlStream stream, out YamlLoadError? error))
        {
            c.Diagnostics.Add(Diagnostic.Invalid(
                error!.IsDuplicateKey ? DiagnosticIds.DuplicateKey : DiagnosticIds.DocumentSyntaxError,
                string.Empty,
                $"Not valid YAML: {error.Message}") with { Location = new SourceLocation(file, error.Line, error.Column) });
            return new DocumentReadResult(null, c.Diagnostics, c.Map);
        }

        if (stream.Documents.Count == 0 || MapReader.IsNull(stream.Documents[0].RootNode))
        {
            c.Diagnostics.Add(Diagnostic.Invalid(DiagnosticIds.DocumentEmpty, string.Empty, "The document is empty; it needs at least 'version: 1'.")
                with { Location = new SourceLocation(file, 1, 1) });
            return new DocumentReadResult(null, c.Diagnostics, c.Map);
        }

        if (stream.Documents.Count > 1)
        {
            c.Error(DiagnosticIds.MultipleDocuments, stream.Documents[1].RootNode, string.Empty,
                "The file holds more than one YAML document ('---'); a router is described by exactly one.");
            return new DocumentReadResult(null, c.Diagnostics, c.Map);
        }

        RouterDocument? document = ReadDocument(c, stream.Documents[0].RootNode);
        var diagnostics = c.Diagnostics.OrderBy(d => d.Location?.Line).ThenBy(d => d.Location?.Column).ToList();
        return new DocumentReadResult(c.HasErrors ? null : document, diagnostics, c.Map);
    }

    private static RouterDocument? ReadDocument(ReadContext c, YamlNode root)
    {
        if (MapReader.Open(c, root, string.Empty, "The document", s_topKeys) is not { } top)
        {
            return null;
        }

        if (!top.Has("version"))
        {
            top.Take("version");
            c.Error(DiagnosticIds.VersionMissing, root, "version", "The document has no 'version'; start it with 'version: 1'.");
        }
        else if (top.Take("version") is { } v && NodeReader.Scalar(c, v, "version", "version") is { } vt && vt != "1")
        {
            c.Error(DiagnosticIds.VersionUnsupported, v, "version", $"Document version '{vt}' is not supported; this build reads version {RouterDocument.CurrentVersion}.");
        }

        var doc = new RouterDocument
        {
            Interfaces = top.Maps("interfaces", "An interface", s_interfaceKeys, ReadInterface) ?? ValueList<Interface>.Empty,
            Tunnels = top.Maps("tunnels", "A tunnel", s_tunnelKeys, ReadTunnel) ?? ValueList<Tunnel>.Empty,
            PrefixDelegations = top.Maps("prefixDelegations", "A prefix delegation", s_delegationKeys, ReadDelegation) ?? ValueList<PrefixDelegation>.Empty,
            DhcpScopes = top.Maps("dhcpScopes", "A DHCP scope", s_scopeKeys, ReadScope) ?? ValueList<DhcpScope>.Empty,
            Firewall = top.Take("firewall") is { } fw ? ReadFirewallPolicy(c, fw) : null,
            FirewallRules = top.Maps("firewallRules", "A firewall rule", s_ruleKeys, ReadRule) ?? ValueList<FirewallRule>.Empty,
            Sysctl = top.Maps("sysctl", "A sysctl setting", ["name", "value"], ReadSysctl) ?? ValueList<SysctlSetting>.Empty,
            Routes = top.Maps("routes", "A route", ["destination", "gateway", "interface", "metric", "exist"], ReadRoute) ?? ValueList<Route>.Empty,
            DnsForwarder = top.Take("dnsForwarder") is { } dns ? ReadDnsForwarder(c, dns) : null,
        };
        top.Finish();
        return doc;
    }

    private static SysctlSetting? ReadSysctl(MapReader m)
    {
        string? name = m.Text("name", "A sysctl name") is { } given ? SysctlSetting.Canonical(given) : null;
        string? value = m.Text("value", "A sysctl value");
        if (!m.Has("name"))
        {
            m.Missing("name", "the key under /proc/sys in dotted form, e.g. net.ipv6.conf.all.forwarding.");
        }
        else if (name is not null && !SysctlSetting.IsValidName(name))
        {
            m.Context.Error(DiagnosticIds.InvalidSysctlName, m.Take("name")!, m.Child("name"),
                $"'{name}' is not a sysctl key: dotted words such as net.ipv6.conf.all.forwarding (a VLAN's dot as '/': net.ipv6.conf.enp1s0/100.accept_ra).");
            name = null;
        }

        if (!m.Has("value"))
        {
            m.Missing("value", "the value to write, e.g. value: 1.");
        }

        return name is not null && value is not null ? new SysctlSetting(name, value) : null;
    }

    private static Route? ReadRoute(MapReader m)
    {
        if (!m.Has("destination"))
        {
            m.Missing("destination", "the prefix the route leads to, e.g. 0.0.0.0/0 or 192.0.2.0/24.");
        }

        System.Net.IPNetwork? destination = m.Get("destination", NodeReader.Prefix);
        var gateway = m.Address("gateway", destination?.BaseAddress.AddressFamily);
        var iface = m.InterfaceName("interface");
        int? metric = m.Int("metric", 0, int.MaxValue);
        bool exist = m.Bool("exist") ?? true;
        return destination is { } d
            ? new Route(d) { Gateway = gateway, Interface = iface, Metric = metric, Exist = exist }
            : null;
    }

    private static DnsForwarder? ReadDnsForwarder(ReadContext c, YamlNode node)
    {
        if (MapReader.Open(c, node, "dnsForwarder", "dnsForwarder", "enabled", "interfaces", "upstreams", "useLearnedUpstreams", "cacheSize") is not { } m)
        {
            return null;
        }

        var dns = new DnsForwarder
        {
            Enabled = m.Bool("enabled"),
            Interfaces = m.List("interfaces", "interfaces", (n, p) => NodeReader.InterfaceName(c, n, p), scalarAllowed: true) ?? ValueList<string>.Empty,
            Upstreams = m.List("upstreams", "upstreams", (n, p) => NodeReader.Address(c, n, p), scalarAllowed: true) ?? ValueList<System.Net.IPAddress>.Empty,
            UseLearnedUpstreams = m.Bool("useLearnedUpstreams"),
            CacheSize = m.Int("cacheSize", 0, 10_000_000),
        };
        m.Finish();
        return dns;
    }

    private static AddressFamily V4 => AddressFamily.InterNetwork;

    private static AddressFamily V6 => AddressFamily.InterNetworkV6;
}
