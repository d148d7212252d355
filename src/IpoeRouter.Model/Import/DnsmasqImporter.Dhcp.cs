using System.Net;

namespace IpoeRouter.Model.Import;

public static partial class DnsmasqImporter
{
    private sealed partial class State
    {
        private (ImportOutcome, string) Range(string value)
        {
            List<string> parts = [.. value.Split(',', StringSplitOptions.TrimEntries)];
            string? constructor = parts.FirstOrDefault(p => p.StartsWith("constructor:", StringComparison.Ordinal))?["constructor:".Length..];
            if (constructor is not null || parts.Any(p => p.Contains(':', StringComparison.Ordinal) && !p.StartsWith("tag:", StringComparison.Ordinal) && !p.StartsWith("set:", StringComparison.Ordinal)))
            {
                return Range6(parts, constructor);
            }

            string? iface = ScopeFor(parts);
            if (iface is null)
            {
                return (ImportOutcome.NotExpressible, "dhcp-range for no known interface (no tag: naming an interface= and more than one interface)");
            }

            if (parts.Count < 2 || !PrefixMath.TryParseAddress(parts[0], out IPAddress? first) || !PrefixMath.TryParseAddress(parts[1], out IPAddress? last))
            {
                return (ImportOutcome.NotExpressible, "an IPv4 dhcp-range needs a first and a last address (proxy and static ranges are not in the document)");
            }

            var scope = Scope(iface) with { Range = new AddressRange(first, last) };
            string detail = $"dhcpScope {iface} range {first}-{last}";
            foreach (string extra in parts.Skip(2))
            {
                if (PrefixMath.TryParseAddress(extra, out _))
                {
                    detail += $"; netmask {extra} follows from {iface}'s address";
                }
                else if (Lease(extra) is { } lease)
                {
                    scope = scope with { LeaseTime = lease };
                    detail += $"; leaseTime {extra}";
                }
                else
                {
                    return (ImportOutcome.NotExpressible, $"dhcp-range part '{extra}' is not in the document's vocabulary");
                }
            }

            _scopes[iface] = scope;
            return (ImportOutcome.Imported, detail);
        }

        private (ImportOutcome, string) Range6(List<string> parts, string? constructor)
        {
            string? iface = constructor ?? ScopeFor(parts);
            if (iface is null)
            {
                return (ImportOutcome.NotExpressible, "an IPv6 dhcp-range without constructor: for no known interface");
            }

            Ipv6Mode? mode = parts.Contains("ra-stateless") ? Ipv6Mode.Stateless : parts.Contains("ra-only") ? Ipv6Mode.RaOnly : null;
            if (mode is null)
            {
                return (ImportOutcome.NotExpressible, "stateful DHCPv6 addresses: the document offers ipv6Mode stateless (RA + O flag) or raOnly, addresses by SLAAC");
            }

            _scopes[iface] = Scope(iface) with { Ipv6Mode = mode };
            return (ImportOutcome.Imported, $"dhcpScope {iface} ipv6Mode {(mode == Ipv6Mode.Stateless ? "stateless" : "raOnly")} on the prefix {iface} gets from the delegation");
        }

        private (ImportOutcome, string) Option(string value)
        {
            List<string> parts = [.. value.Split(',', StringSplitOptions.TrimEntries)];
            if (parts.Count > 0 && parts[0].StartsWith("option6:", StringComparison.Ordinal))
            {
                return parts[0] == "option6:dns-server" && parts.Skip(1).All(p => p == "[::]")
                    ? (ImportOutcome.Absorbed, "the agent's stateless DHCPv6 and RAs announce the router itself as DNS server")
                    : (ImportOutcome.NotExpressible, $"DHCPv6 option {parts[0]}: the agent sends DNS and domain list only");
            }

            string? iface = ScopeFor(parts);
            if (iface is null || parts.Count < 2)
            {
                return (ImportOutcome.NotExpressible, "dhcp-option for no known interface");
            }

            string option = parts[0].StartsWith("option:", StringComparison.Ordinal) ? parts[0]["option:".Length..] : parts[0];
            List<string> values = parts.Skip(1).ToList();
            List<IPAddress>? addresses = values.All(v => PrefixMath.TryParseAddress(v, out _)) ? values.Select(IPAddress.Parse).ToList() : null;
            DhcpScope scope = Scope(iface);
            switch (option)
            {
                case "router" or "3" when addresses is [var router]:
                    _scopes[iface] = scope with { Router = router };
                    return (ImportOutcome.Imported, $"dhcpScope {iface} router {router}");
                case "dns-server" or "6" when addresses is not null:
                    _scopes[iface] = scope with { DnsServers = [.. addresses] };
                    return (ImportOutcome.Imported, $"dhcpScope {iface} dnsServers {string.Join(", ", values)}");
                case "ntp-server" or "42" when addresses is not null:
                    _scopes[iface] = scope with { NtpServers = [.. addresses] };
                    return (ImportOutcome.Imported, $"dhcpScope {iface} ntpServers {string.Join(", ", values)}");
                case "domain-search" or "119":
                    _scopes[iface] = scope with { SearchList = [.. values] };
                    return (ImportOutcome.Imported, $"dhcpScope {iface} searchList {string.Join(", ", values)}");
                case "domain-name" or "15" when values.Count == 1:
                    _scopes[iface] = scope with { Domain = values[0] };
                    return (ImportOutcome.Imported, $"dhcpScope {iface} domain {values[0]}");
                default:
                    return (ImportOutcome.NotExpressible, $"DHCP option '{parts[0]}' is not one a scope carries (router, dns-server, ntp-server, domain-name, domain-search)");
            }
        }

        private (ImportOutcome, string) Host(string value)
        {
            var reservation = new DhcpReservation(IPAddress.None);
            IPAddress? address = null;
            foreach (string part in value.Split(',', StringSplitOptions.TrimEntries))
            {
                if (ValueText.TryParseMac(part, out string? mac))
                {
                    reservation = reservation with { Mac = mac };
                }
                else if (part.StartsWith("id:", StringComparison.Ordinal) && ValueText.TryParseClientId(part[3..], out string? id))
                {
                    reservation = reservation with { ClientId = id };
                }
                else if (PrefixMath.TryParseAddress(part, out IPAddress? a) && a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                {
                    address = a;
                }
                else if (part == "infinite" || Lease(part) is not null)
                {
                    continue;
                }
                else if (part.Length > 0 && part.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.'))
                {
                    reservation = reservation with { Hostname = part };
                }
                else
                {
                    return (ImportOutcome.NotExpressible, $"dhcp-host part '{part}' is not in the document's vocabulary");
                }
            }

            if (address is null || (reservation.Mac is null && reservation.ClientId is null))
            {
                return (ImportOutcome.NotExpressible, "a reservation needs an IPv4 address and a MAC or client id");
            }

            string? iface = _scopes.Values.FirstOrDefault(s => s.Range is { } r && PrefixMath.ToUInt32(r.First) >> 8 == PrefixMath.ToUInt32(address) >> 8)?.Interface
                ?? (_scopes.Count == 1 ? _scopes.Keys.First() : null);
            if (iface is null)
            {
                return (ImportOutcome.NotExpressible, $"reservation {address}: no dhcp-range before it tells which scope it belongs to");
            }

            reservation = reservation with { Address = address };
            _scopes[iface] = _scopes[iface] with { Reservations = _scopes[iface].Reservations.Add(reservation) };
            return (ImportOutcome.Imported, $"dhcpScope {iface} reservation {address} for {reservation.Mac ?? reservation.ClientId}");
        }

        private static TimeSpan? Lease(string text)
        {
            if (text == "infinite")
            {
                return null;
            }

            char unit = text.Length > 0 ? text[^1] : ' ';
            string number = char.IsAsciiDigit(unit) ? text : text[..^1];
            if (!long.TryParse(number, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long n))
            {
                return null;
            }

            return unit switch
            {
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                'w' => TimeSpan.FromDays(7 * n),
                _ when char.IsAsciiDigit(unit) => TimeSpan.FromSeconds(n),
                _ => null,
            };
        }
    }
}
