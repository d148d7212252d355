using System.Net;
using System.Net.Sockets;

namespace IpoeRouter.Model.Validation;

/// <summary>
/// The rules that span resources: what the seed router learned the hard way, checked before
/// anything is applied. Pure; diagnostics carry document paths, which the loader turns into
/// file:line:col.
/// </summary>
public sealed partial class DocumentValidator
{
    private readonly RouterDocument _doc;
    private readonly List<Diagnostic> _diagnostics = [];
    private readonly Dictionary<string, int> _interfaceIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _tunnelIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _delegationIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Delegation, int SubnetId), string> _subnetOwners = [];

    private DocumentValidator(RouterDocument doc) => _doc = doc;

    /// <summary>Validates <paramref name="document"/> and computes its effective form.</summary>
    public static ValidationResult Validate(RouterDocument document)
    {
        var v = new DocumentValidator(document);
        v.CheckUniqueness();
        v.CheckDelegations();
        v.CheckInterfaces();
        v.CheckTunnels();
        v.CheckRoutes();
        v.CheckDhcpScopes();
        v.CheckDnsForwarder();
        v.CheckFirewall();
        RouterDocument effective = v.CheckSysctl();
        return new ValidationResult(document, effective, v._diagnostics);
    }

    private void Error(string id, string path, string message) => _diagnostics.Add(Diagnostic.Invalid(id, path, message));

    private void Warn(string id, string path, string message) => _diagnostics.Add(Diagnostic.Warning(id, path, message));

    private Interface? FindInterface(string name) => _interfaceIndex.TryGetValue(name, out int i) ? _doc.Interfaces[i] : null;

    private PrefixDelegation? FindDelegation(string name) => _delegationIndex.TryGetValue(name, out int i) ? _doc.PrefixDelegations[i] : null;

    private void CheckUniqueness()
    {
        Index(_doc.Interfaces, i => i.Name, "interfaces", "interface", _interfaceIndex);
        Index(_doc.Tunnels, t => t.Name, "tunnels", "tunnel", _tunnelIndex);
        Index(_doc.PrefixDelegations, p => p.Name, "prefixDelegations", "prefix delegation", _delegationIndex);
        Index(_doc.DhcpScopes, s => s.Name, "dhcpScopes", "DHCP scope", new());
        Index(_doc.FirewallRules, r => r.Name, "firewallRules", "firewall rule", new());
        Index(_doc.Sysctl, s => s.Name, "sysctl", "sysctl setting", new());
        Index(_doc.Routes, r => r.Key, "routes", "route to", new(), keyProperty: "destination");

        for (int t = 0; t < _doc.Tunnels.Count; t++)
        {
            if (_interfaceIndex.ContainsKey(_doc.Tunnels[t].Name))
            {
                Error(DiagnosticIds.OwnershipConflict, $"tunnels[{t}].name",
                    $"'{_doc.Tunnels[t].Name}' is declared both as an interface and as a tunnel; one link has one owner.");
            }
        }
    }

    private void Index<T>(IReadOnlyList<T> items, Func<T, string> key, string section, string what, Dictionary<string, int> index, string keyProperty = "name")
    {
        for (int i = 0; i < items.Count; i++)
        {
            string k = key(items[i]);
            if (!index.TryAdd(k, i))
            {
                Error(DiagnosticIds.DuplicateResource, $"{section}[{i}].{keyProperty}",
                    $"The {what} '{k}' is declared twice (first as {section}[{index[k]}]); each is declared once.");
            }
        }
    }

    /// <summary>True when the interface can ever carry a global IPv6 address (by RA, fixed, or from a delegation).</summary>
    private bool CanHaveGlobalIpv6(Interface i) =>
        i.TakesRouterAdvertisements
        || i.Addresses.Any(a => a is DelegatedAddress || (a is StaticAddress s && !s.Value.IsIPv4 && !s.Value.Address.IsIPv6LinkLocal))
        || _doc.PrefixDelegations.Any(p => p.Downstreams.Any(d => d.Interface == i.Name));

    private static bool IsV4(IPAddress a) => a.AddressFamily == AddressFamily.InterNetwork;
}
