using System.Globalization;
using System.Net;

namespace IpoeRouter.Model.Import;

/// <summary>
/// Reads dnsmasq's configuration (<c>dnsmasq.conf</c> and the files of <c>dnsmasq.d</c>, given in
/// the order dnsmasq reads them, as one configuration) into DHCP scopes and the DNS forwarder:
/// <c>interface=</c>, <c>dhcp-range</c> (IPv4 pools; IPv6 <c>constructor:IF,ra-stateless</c> or
/// <c>ra-only</c>), <c>dhcp-option</c>, <c>dhcp-host</c> reservations, <c>domain</c>,
/// <c>server=</c>, <c>enable-ra</c>. A scope is named after its interface. Pure.
/// </summary>
public static partial class DnsmasqImporter
{
    /// <summary>Imports <paramref name="sources"/> as one configuration.</summary>
    public static SourceImport Import(IReadOnlyList<SourceText> sources)
    {
        var state = new State();
        var lines = new List<AccountedLine>();
        foreach (SourceText source in sources)
        {
            var account = new LineAccount(source, '#');
            for (int i = 0; i < account.Lines.Count; i++)
            {
                string line = account.Lines[i].Trim();
                if (account.IsCommentOrBlank(line))
                {
                    continue;
                }

                int eq = line.IndexOf('=', StringComparison.Ordinal);
                string key = eq > 0 ? line[..eq].Trim() : line;
                string value = eq > 0 ? line[(eq + 1)..].Trim() : string.Empty;
                var (outcome, detail) = state.Directive(key, value);
                account.Mark(i + 1, outcome, detail);
            }

            lines.AddRange(account.Complete());
        }

        return new SourceImport(state.Fragment(), lines);
    }

    /// <summary>What the directives read so far amount to.</summary>
    private sealed partial class State
    {
        private readonly List<string> _interfaces = [];
        private readonly List<IPAddress> _upstreams = [];
        private readonly Dictionary<string, DhcpScope> _scopes = new(StringComparer.Ordinal);
        private string? _domain;
        private bool? _enabled;
        private int? _cacheSize;

        public RouterDocument Fragment()
        {
            DhcpScope[] scopes = _scopes.Values.Select(s => _domain is not null && s.Domain is null ? s with { Domain = _domain } : s).ToArray();
            DnsForwarder? forwarder = _interfaces.Count > 0 || _upstreams.Count > 0 || _enabled is not null || _cacheSize is not null
                ? new DnsForwarder { Interfaces = [.. _interfaces], Upstreams = [.. _upstreams], Enabled = _enabled, CacheSize = _cacheSize }
                : null;
            return RouterDocument.Empty with
            {
                DhcpScopes = [.. scopes],
                DnsForwarder = forwarder,
                Interfaces = [.. _interfaces.Concat(_scopes.Keys).Distinct().Select(n => new Interface(n) { Role = InterfaceRole.Lan })],
            };
        }

        public (ImportOutcome, string) Directive(string key, string value)
        {
            switch (key)
            {
                case "interface":
                    foreach (string name in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (!_interfaces.Contains(name))
                        {
                            _interfaces.Add(name);
                        }
                    }

                    return (ImportOutcome.Imported, $"dnsForwarder answers on {value} (role lan)");
                case "no-resolv":
                    return (ImportOutcome.Absorbed, "the forwarder never reads /etc/resolv.conf: its upstreams are the configured ones and those learnt on the WAN");
                case "bind-interfaces" or "bind-dynamic" or "listen-address":
                    return (ImportOutcome.Absorbed, "the forwarder binds to the addresses of its interfaces only");
                case "enable-ra":
                    return (ImportOutcome.Absorbed, "the agent sends Router Advertisements on every downstream of a delegation");
                case "log-queries" or "log-dhcp" or "log-facility":
                    return (ImportOutcome.Absorbed, "logging: the agent logs to the journal");
                case "domain":
                    _domain = value.Split(',')[0].Trim();
                    return (ImportOutcome.Imported, $"domain {_domain} of the DHCP scopes");
                case "server" when PrefixMath.TryParseAddress(value, out IPAddress? upstream):
                    _upstreams.Add(upstream);
                    return (ImportOutcome.Imported, $"dnsForwarder upstream {value}");
                case "port" when value == "0":
                    _enabled = false;
                    return (ImportOutcome.Imported, "dnsForwarder enabled: false (dnsmasq's DNS was off)");
                case "cache-size" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int size):
                    _cacheSize = size;
                    return (ImportOutcome.Imported, $"dnsForwarder cacheSize {size}");
                case "dhcp-range":
                    return Range(value);
                case "dhcp-option" or "dhcp-option-force":
                    return Option(value);
                case "dhcp-host":
                    return Host(value);
                default:
                    return (ImportOutcome.NotExpressible, $"dnsmasq '{key}{(value.Length > 0 ? "=" + value : string.Empty)}' is not in the document's vocabulary");
            }
        }

        /// <summary>The scope a tagged directive is for: its <c>tag:</c> when that names a scope or interface, else the only interface.</summary>
        private string? ScopeFor(List<string> parts)
        {
            string? tag = parts.FirstOrDefault(p => p.StartsWith("tag:", StringComparison.Ordinal) || p.StartsWith("set:", StringComparison.Ordinal))?[4..];
            parts.RemoveAll(p => p.StartsWith("tag:", StringComparison.Ordinal) || p.StartsWith("set:", StringComparison.Ordinal));
            if (tag is not null && (_interfaces.Contains(tag) || _scopes.ContainsKey(tag)))
            {
                return tag;
            }

            return _interfaces.Count == 1 ? _interfaces[0] : _scopes.Count == 1 ? _scopes.Keys.First() : null;
        }

        private DhcpScope Scope(string iface) =>
            _scopes.TryGetValue(iface, out DhcpScope? s) ? s : new DhcpScope(iface, iface);
    }
}
