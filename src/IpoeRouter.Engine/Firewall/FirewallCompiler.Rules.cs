using System.Net;
using System.Text.Json.Nodes;
using IpoeRouter.Model;

namespace IpoeRouter.Engine.Firewall;

public sealed partial class FirewallCompiler
{
    private static readonly Dictionary<string, int> s_protocolNumbers = new(StringComparer.Ordinal)
    {
        ["tcp"] = 6, ["udp"] = 17, ["icmp"] = 1, ["icmpv6"] = 58, ["sctp"] = 132, ["udplite"] = 136, ["esp"] = 50, ["ah"] = 51, ["gre"] = 47,
    };

    /// <summary>
    /// The expression lists of one rule: one, or one per address family when the rule matches
    /// addresses of both (a LAN's IPv4 and delegated IPv6 subnets) or counts per source address.
    /// </summary>
    private IEnumerable<JsonArray> Expressions(FirewallRule rule)
    {
        List<IPNetwork>? source = Resolve(rule.Source, rule, "source");
        List<IPNetwork>? destination = Resolve(rule.Destination, rule, "destination");
        if ((rule.Source is not null && source is null) || (rule.Destination is not null && destination is null))
        {
            yield break; // recorded as omitted or blocking
        }

        var families = new List<string?>();
        bool v4 = rule.Family != FirewallFamily.Ip6 && rule.Icmpv6Types.Count == 0 && rule.Protocol != "icmpv6";
        bool v6 = rule.Family != FirewallFamily.Ip && rule.IcmpTypes.Count == 0 && rule.Protocol != "icmp";
        bool splits = source is not null || destination is not null || rule.Limit is { PerSource: true };
        if (!splits)
        {
            families.Add(rule.Family switch { FirewallFamily.Ip => "ip", FirewallFamily.Ip6 => "ip6", _ => null });
        }
        else
        {
            if (v4 && Fits(source, true) && Fits(destination, true))
            {
                families.Add("ip");
            }

            if (v6 && Fits(source, false) && Fits(destination, false))
            {
                families.Add("ip6");
            }
        }

        if (families.Count == 0)
        {
            string reason = $"rule {rule.Name}: its address matches and its family or ICMP types leave no address family to match in";
            (rule.Action == RuleVerdict.Accept ? _omitted : _blocking).Add(reason);
        }

        foreach (string? family in families)
        {
            yield return Compile(rule, family, source?.Where(n => family is null || IsV4(n) == (family == "ip")).ToList(), destination?.Where(n => family is null || IsV4(n) == (family == "ip")).ToList());
        }
    }

    private static bool Fits(List<IPNetwork>? prefixes, bool v4) => prefixes is null || prefixes.Any(n => IsV4(n) == v4);

    private JsonArray Compile(FirewallRule rule, string? family, List<IPNetwork>? source, List<IPNetwork>? destination)
    {
        var e = new JsonArray();
        if (family is not null)
        {
            e.Append(Match("==", Meta("nfproto"), family == "ip" ? "ipv4" : "ipv6"));
        }

        if (rule.InputInterface is { } iif)
        {
            e.Append(Match("==", Meta("iifname"), iif));
        }

        if (rule.OutputInterface is { } oif)
        {
            e.Append(Match("==", Meta("oifname"), oif));
        }

        if (source is not null)
        {
            e.Append(Match("==", Payload(family!, "saddr"), Prefixes(source)));
        }

        if (destination is not null)
        {
            e.Append(Match("==", Payload(family!, "daddr"), Prefixes(destination)));
        }

        string? protocol = rule.Protocol ?? (rule.Icmpv6Types.Count > 0 ? "icmpv6" : rule.IcmpTypes.Count > 0 ? "icmp" : rule.TcpFlags is not null ? "tcp" : null);
        if (protocol is not null)
        {
            e.Append(Match("==", Meta("l4proto"), s_protocolNumbers.TryGetValue(protocol, out int n) ? n : int.Parse(protocol, System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (rule.SourcePorts.Count > 0)
        {
            e.Append(Match("==", Payload(protocol!, "sport"), Ports(rule.SourcePorts)));
        }

        if (rule.DestinationPorts.Count > 0)
        {
            e.Append(Match("==", Payload(protocol!, "dport"), Ports(rule.DestinationPorts)));
        }

        if (rule.IcmpTypes.Count > 0)
        {
            e.Append(Match("==", Payload("icmp", "type"), Values(rule.IcmpTypes)));
        }

        if (rule.Icmpv6Types.Count > 0)
        {
            e.Append(Match("==", Payload("icmpv6", "type"), Values(rule.Icmpv6Types)));
        }

        if (rule.ConnectionStates.Count > 0)
        {
            e.Append(Match("in", new JsonObject { ["ct"] = new JsonObject { ["key"] = "state" } },
                new JsonArray([.. rule.ConnectionStates.Select(s => (JsonNode)s.ToString().ToLowerInvariant())])));
        }

        if (rule.TcpFlags is { } flags)
        {
            e.Append(Match("==", new JsonObject { ["&"] = new JsonArray(Payload("tcp", "flags"), Flags(flags.Mask)) }, flags.Set.Count == 0 ? 0 : Flags(flags.Set)));
        }

        if (rule.Limit is { } limit)
        {
            var stmt = new JsonObject { ["rate"] = limit.Count, ["per"] = limit.Unit.ToString().ToLowerInvariant(), ["burst"] = limit.Burst ?? 0, ["inv"] = limit.Over };
            e.Append(limit.PerSource
                ? new JsonObject
                {
                    ["meter"] = new JsonObject
                    {
                        ["name"] = $"{rule.Name}-{family}",
                        // Entries expire: a meter that only fills would stop matching new sources once
                        // full (the rule failing open); the seed's recent list evicted old entries too.
                        ["key"] = new JsonObject { ["elem"] = new JsonObject { ["val"] = Payload(family!, "saddr"), ["timeout"] = MeterTimeout(limit.Unit) } },
                        ["size"] = 65535,
                        ["stmt"] = new JsonObject { ["limit"] = stmt },
                    },
                }
                : new JsonObject { ["limit"] = stmt });
        }

        if (rule.Log is { } log)
        {
            e.Append(new JsonObject { ["log"] = new JsonObject { ["prefix"] = log.Prefix } });
        }

        if (rule.Jump is { } target)
        {
            e.Append(new JsonObject { ["jump"] = new JsonObject { ["target"] = target } });
        }
        else if (rule.Action is { } verdict)
        {
            e.Append(new JsonObject { [verdict.ToString().ToLowerInvariant()] = null });
        }

        return e;
    }

    /// <summary>How long a source stays in a meter after its last packet: 60 s for per-second rates, twice the period otherwise.</summary>
    private static int MeterTimeout(RateUnit unit) => unit switch
    {
        RateUnit.Second => 60,
        RateUnit.Minute => 120,
        RateUnit.Hour => 7200,
        _ => 172800,
    };

    private static JsonNode Prefixes(List<IPNetwork> prefixes)
    {
        JsonNode One(IPNetwork n) => n.PrefixLength == (IsV4(n) ? 32 : 128)
            ? n.BaseAddress.ToString()
            : new JsonObject { ["prefix"] = new JsonObject { ["addr"] = n.BaseAddress.ToString(), ["len"] = n.PrefixLength } };
        return prefixes.Count == 1 ? One(prefixes[0]) : new JsonObject { ["set"] = new JsonArray([.. prefixes.Select(One)]) };
    }

    private static JsonNode Ports(IReadOnlyList<PortRange> ports)
    {
        JsonNode One(PortRange p) => p.First == p.Last ? p.First : new JsonObject { ["range"] = new JsonArray(p.First, p.Last) };
        return ports.Count == 1 ? One(ports[0]) : new JsonObject { ["set"] = new JsonArray([.. ports.Select(One)]) };
    }

    private static JsonNode Values(IReadOnlyList<int> values) =>
        values.Count == 1 ? values[0] : new JsonObject { ["set"] = new JsonArray([.. values.Select(v => (JsonNode)v)]) };

    private static JsonNode Flags(IReadOnlyList<TcpFlag> flags) =>
        flags.Count == 1 ? flags[0].ToString().ToLowerInvariant() : new JsonObject { ["|"] = new JsonArray([.. flags.Select(f => (JsonNode)f.ToString().ToLowerInvariant())]) };

    /// <summary>The prefixes a match stands for now, or null (recorded) when its binding has no value yet.</summary>
    private List<IPNetwork>? Resolve(AddressMatch? match, FirewallRule rule, string what)
    {
        switch (match)
        {
            case null:
                return null;
            case PrefixMatch p:
                return [p.Prefix];
            case DelegatedPrefixMatch d when _facts.DelegatedPrefixes.TryGetValue(d.Delegation, out IPNetwork prefix):
                return [prefix];
            case TunnelRemoteMatch t when _doc.Tunnels.FirstOrDefault(x => x.Name == t.Tunnel)?.Remote is StaticRemote r:
                return [new IPNetwork(r.Address, 128)];
            case LanSubnetMatch l when LanSubnets(l.Interface) is { Count: > 0 } subnets:
                return subnets;
        }

        string reason = $"rule {rule.Name}: its {what} ({match}) has no value yet";
        (rule.Action == RuleVerdict.Accept ? _omitted : _blocking).Add(reason);
        return null;
    }

    /// <summary>A LAN's subnets: its fixed addresses' networks, and the delegated /64s it gets, when all of them are known.</summary>
    private List<IPNetwork>? LanSubnets(string name)
    {
        Interface? iface = _doc.Interfaces.FirstOrDefault(i => i.Name == name);
        if (iface is null)
        {
            return null;
        }

        var subnets = iface.Addresses.OfType<StaticAddress>().Select(a => a.Value.Network).ToList();
        var delegated = iface.Addresses.OfType<DelegatedAddress>().Select(d => (d.Delegation, d.SubnetId))
            .Concat(_doc.PrefixDelegations.SelectMany(p => p.Downstreams.Where(d => d.Interface == name).Select(d => (Delegation: p.Name, d.SubnetId))));
        foreach (var (delegation, id) in delegated.Distinct())
        {
            if (!_facts.DelegatedPrefixes.TryGetValue(delegation, out IPNetwork prefix) || id >= PrefixMath.SubnetCount(prefix.PrefixLength))
            {
                return null;
            }

            subnets.Add(PrefixMath.Subnet64(prefix, id));
        }

        return subnets.Distinct().ToList();
    }
}
