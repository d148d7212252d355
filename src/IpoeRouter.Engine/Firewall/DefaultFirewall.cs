using IpoeRouter.Model;

namespace IpoeRouter.Engine.Firewall;

/// <summary>
/// The policy a document gets when it declares no firewall rules: the seed router's ip6tables
/// policy, translated, for IPv6 and IPv4 alike, written for the document's own interfaces. A fresh
/// router is never open: input and forward drop; the LAN reaches the router and the world; from
/// the WAN only replies, DHCPv6/DHCPv4 client answers (from a server's port, and for DHCPv6 from a
/// link-local address) and the ICMPv6 that IPv6 needs come in.
/// </summary>
public static class DefaultFirewall
{
    /// <summary>The rules for <paramref name="document"/>'s interfaces and tunnels.</summary>
    public static IReadOnlyList<FirewallRule> Rules(RouterDocument document)
    {
        var lans = document.Interfaces.Where(i => i.Role == InterfaceRole.Lan).Select(i => i.Name).ToList();
        var wans = document.Interfaces.Where(i => i.Role == InterfaceRole.Wan).ToList();
        var rules = new List<FirewallRule>
        {
            new("default-in-lo", "input") { InputInterface = "lo", Action = RuleVerdict.Accept },
            new("default-in-established", "input") { ConnectionStates = [ConnectionState.Established, ConnectionState.Related], Action = RuleVerdict.Accept },
            new("default-in-invalid", "input") { ConnectionStates = [ConnectionState.Invalid], Action = RuleVerdict.Drop },
        };
        rules.AddRange(lans.Select(l => new FirewallRule($"default-in-lan-{l}", "input") { InputInterface = l, Action = RuleVerdict.Accept }));
        var linkLocal = new PrefixMatch(System.Net.IPNetwork.Parse("fe80::/10"));
        foreach (Interface wan in wans)
        {
            // DHCPv6 servers and relays answer from a link-local address and port 547 (RFC 8415 §7.1, §18.3.10).
            rules.Add(new FirewallRule($"default-in-dhcpv6-client-{wan.Name}", "input")
            {
                Family = FirewallFamily.Ip6, InputInterface = wan.Name, Protocol = "udp", Source = linkLocal,
                SourcePorts = [new PortRange(547, 547)], DestinationPorts = [new PortRange(546, 546)], Action = RuleVerdict.Accept,
            });
            if (wan.Dhcp4 == true)
            {
                // DHCPv4 servers and relays answer from port 67 (RFC 2131 §4.1).
                rules.Add(new FirewallRule($"default-in-dhcp4-client-{wan.Name}", "input")
                {
                    Family = FirewallFamily.Ip, InputInterface = wan.Name, Protocol = "udp",
                    SourcePorts = [new PortRange(67, 67)], DestinationPorts = [new PortRange(68, 68)], Action = RuleVerdict.Accept,
                });
            }
        }

        rules.AddRange(
        [
            new("default-in-icmpv6", "input") { Icmpv6Types = [1, 2, 3, 4, 133, 134, 135, 136, 137, 141, 142, 148, 149], Action = RuleVerdict.Accept },
            new("default-in-icmpv6-link-local", "input") { Family = FirewallFamily.Ip6, Source = linkLocal, Icmpv6Types = [130, 131, 132, 143, 151, 152, 153], Action = RuleVerdict.Accept },
            new("default-in-icmp", "input") { Family = FirewallFamily.Ip, IcmpTypes = [3, 11, 12], Action = RuleVerdict.Accept },
            new("default-in-tcp-rst", "input") { Protocol = "tcp", TcpFlags = new TcpFlagsMatch([TcpFlag.Rst], [TcpFlag.Rst]), Action = RuleVerdict.Drop },
            new("default-in-log", "input") { Limit = new RateLimit(5, RateUnit.Second), Log = new LogAction("dropped: ") },
            new("default-fwd-established", "forward") { ConnectionStates = [ConnectionState.Established, ConnectionState.Related], Action = RuleVerdict.Accept },
            new("default-fwd-invalid", "forward") { ConnectionStates = [ConnectionState.Invalid], Action = RuleVerdict.Drop },
        ]);
        rules.AddRange(lans.Select(l => new FirewallRule($"default-fwd-lan-{l}", "forward") { InputInterface = l, Action = RuleVerdict.Accept }));
        rules.Add(new FirewallRule("default-fwd-icmpv6", "forward") { Icmpv6Types = [1, 2, 3, 4], Action = RuleVerdict.Accept });
        rules.Add(new FirewallRule("default-fwd-log", "forward") { Limit = new RateLimit(5, RateUnit.Second), Log = new LogAction("[forward] dropped: ") });
        return rules;
    }

    /// <summary>The base chain policies used where the document declares none.</summary>
    public static FirewallPolicy Policy { get; } = new() { Input = ChainPolicy.Drop, Forward = ChainPolicy.Drop, Output = ChainPolicy.Accept, ClampMss = true };
}
