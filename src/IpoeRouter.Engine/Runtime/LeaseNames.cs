using System.Net;
using System.Text;
using IpoeRouter.Services.Dhcp4Server;
using IpoeRouter.Services.DnsForwarder;

namespace IpoeRouter.Engine.Runtime;

/// <summary>
/// Keeps the forwarder's local names in step with the DHCPv4 leases (thread-safe): a bound lease
/// with a host name gives <c>name.domain</c> its address, and the name goes when the lease does.
/// A client's name is made into one DNS label first (<see cref="Label"/>). A name already held by
/// another client's lease stays with it — a newcomer cannot take over a name others resolve — except
/// that a reservation's host name belongs to the reserved address. Names hosts look up to find a proxy
/// or a tunnel router (wpad, isatap) and the zone's own names are never given to a client's lease.
/// </summary>
public sealed class LeaseNames(LocalNames names, IReadOnlyDictionary<string, IPAddress> reserved, Action<string> log)
{
    // Names other hosts look up on their own and then trust (WPAD finds a web proxy, ISATAP a tunnel
    // router), and the local zone's own names (the SOA's): a DHCP client asking for one gets no name.
    private static readonly HashSet<string> s_refused = new(["wpad", "isatap", "localhost", "router", "hostmaster"], StringComparer.OrdinalIgnoreCase);

    private readonly object _lock = new();
    private readonly Dictionary<IPAddress, string> _byAddress = [];
    private readonly Dictionary<string, IPAddress> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<IPAddress, string> _macs = []; // leased address → the client's MAC (hex)
    private readonly Dictionary<string, IReadOnlyList<IPAddress>> _ipv6 = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _refusedLogged = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The names held now, by name: the leased IPv4 address, and the IPv6 addresses known for the same client.</summary>
    public IReadOnlyDictionary<string, (IPAddress IPv4, IReadOnlyList<IPAddress> IPv6)> Current
    {
        get
        {
            lock (_lock)
            {
                return _byName.ToDictionary(n => n.Key, n => (n.Value, _ipv6.GetValueOrDefault(n.Key) ?? []), StringComparer.OrdinalIgnoreCase);
            }
        }
    }

    /// <summary>
    /// AAAA records where known: each named client gets the IPv6 addresses the LAN's neighbour table
    /// shows for its MAC (the caller passes only resolved entries inside the LANs' current /64s; a host's
    /// SLAAC and privacy addresses appear there once it has talked through the router). Names whose
    /// addresses did not change are left alone.
    /// </summary>
    public void SetIPv6FromNeighbors(IEnumerable<(IPAddress Address, byte[] HardwareAddress)> neighbors)
    {
        ArgumentNullException.ThrowIfNull(neighbors);
        var byMac = neighbors.GroupBy(n => Convert.ToHexString(n.HardwareAddress), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(n => n.Address).Distinct().OrderBy(a => a.ToString(), StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var (name, v4) in _byName)
            {
                IReadOnlyList<IPAddress> wanted = _macs.TryGetValue(v4, out string? mac) && byMac.TryGetValue(mac, out var found) ? found : [];
                IReadOnlyList<IPAddress> had = _ipv6.GetValueOrDefault(name) ?? [];
                if (!wanted.SequenceEqual(had) && names.SetIPv6(name, wanted))
                {
                    _ipv6[name] = wanted;
                }
            }
        }
    }

    /// <summary>
    /// The DNS label a DHCP client's name becomes: its first label (a client may send a full name),
    /// lower-cased, with every character other than a letter, digit or hyphen made a hyphen, no hyphen
    /// at either end, at most 63 characters (RFC 1035 §2.3.1, RFC 1123 §2.1). Null when nothing is left.
    /// </summary>
    public static string? Label(string? hostName)
    {
        if (string.IsNullOrWhiteSpace(hostName))
        {
            return null;
        }

        string first = hostName.Trim().Split('.')[0];
        var label = new StringBuilder(first.Length);
        foreach (char c in first)
        {
            label.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-');
        }

        string text = label.ToString().Trim('-');
        if (text.Length > 63)
        {
            text = text[..63].TrimEnd('-');
        }

        return text.Length == 0 ? null : text;
    }

    /// <summary>Applies the leases the server holds at start (or after a restart of it).</summary>
    public void Load(IEnumerable<Dhcp4Lease> leases, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(leases);
        Apply(leases.Where(l => l.State == Dhcp4LeaseState.Bound && l.Expiry > now).Select(l => new Dhcp4LeaseChange(l.Address, l)).ToList());
    }

    /// <summary>Applies lease changes as the server reports them (bound, renewed, released, expired).</summary>
    public void Apply(IReadOnlyList<Dhcp4LeaseChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        lock (_lock)
        {
            foreach (Dhcp4LeaseChange change in changes)
            {
                string? wanted = change.Lease is { State: Dhcp4LeaseState.Bound } lease ? Label(lease.HostName) : null;
                if (change.Lease is { State: Dhcp4LeaseState.Bound } bound)
                {
                    _macs[change.Address] = Convert.ToHexString(bound.HardwareAddress.Span);
                }
                else
                {
                    _macs.Remove(change.Address);
                }

                if (_byAddress.TryGetValue(change.Address, out string? held) && !string.Equals(held, wanted, StringComparison.OrdinalIgnoreCase))
                {
                    Drop(held, change.Address);
                }

                if (wanted is null || (_byName.TryGetValue(wanted, out IPAddress? owner) && owner.Equals(change.Address)))
                {
                    continue;
                }

                bool reservedHere = reserved.TryGetValue(wanted, out IPAddress? r) && r.Equals(change.Address);
                if (s_refused.Contains(wanted) && !reservedHere)
                {
                    if (_refusedLogged.Add(wanted))
                    {
                        log($"dns: {change.Address} asked for the name {wanted}, which a client may not take (clients looking it up would trust whoever has it); only a reservation can give it");
                    }

                    continue;
                }

                if (owner is not null && !reservedHere)
                {
                    if (_refusedLogged.Add(wanted))
                    {
                        log($"dns: {change.Address} asked for the name {wanted}, which {owner} holds; it gets no name");
                    }

                    continue;
                }

                if (owner is not null)
                {
                    Drop(wanted, owner); // the reservation's own address takes its name back
                }

                if (names.Set(wanted, change.Address))
                {
                    _byName[wanted] = change.Address;
                    _byAddress[change.Address] = wanted;
                    _refusedLogged.Remove(wanted);
                }
            }
        }
    }

    private void Drop(string name, IPAddress address)
    {
        _byAddress.Remove(address);
        if (_byName.TryGetValue(name, out IPAddress? owner) && owner.Equals(address))
        {
            _byName.Remove(name);
            names.Set(name, null);
            if (_ipv6.Remove(name))
            {
                names.SetIPv6(name, []);
            }
        }
    }
}
