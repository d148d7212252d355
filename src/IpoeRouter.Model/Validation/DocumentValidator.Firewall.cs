namespace IpoeRouter.Model.Validation;

public sealed partial class DocumentValidator
{
    private static readonly string[] s_portProtocols = ["tcp", "udp", "sctp", "udplite"];

    /// <summary>NF_LOG_PREFIXLEN less the terminating NUL. (libnftables 1.0.6 overflows a stack buffer on longer ones instead of refusing them.)</summary>
    private const int MaxLogPrefixBytes = 127;

    private void CheckFirewall()
    {
        var chains = new HashSet<string>(_doc.FirewallRules.Select(r => r.Chain), StringComparer.Ordinal);
        for (int r = 0; r < _doc.FirewallRules.Count; r++)
        {
            FirewallRule rule = _doc.FirewallRules[r];
            string path = $"firewallRules[{r}]";
            if (!rule.InBaseChain && FirewallRule.BaseChains.FirstOrDefault(b => string.Equals(b, rule.Chain, StringComparison.OrdinalIgnoreCase)) is { } meant)
            {
                Error(DiagnosticIds.InvalidName, path + ".chain",
                    $"Chain '{rule.Chain}' would be a user chain that nothing reaches, not the base chain; did you mean '{meant}'? Chain names are case-sensitive.");
            }

            if (rule.Jump is { } target)
            {
                if (FirewallRule.BaseChains.Contains(target))
                {
                    Error(DiagnosticIds.InvalidCombination, path + ".jump", $"Rule '{rule.Name}' jumps to the base chain '{target}'; jumps go to user chains.");
                }
                else if (!chains.Contains(target))
                {
                    Error(DiagnosticIds.UnknownChain, path + ".jump", $"Rule '{rule.Name}' jumps to chain '{target}', which no rule defines.");
                }
                else if (target == rule.Chain)
                {
                    Error(DiagnosticIds.InvalidCombination, path + ".jump", $"Rule '{rule.Name}' jumps to its own chain '{target}', a loop.");
                }
            }

            if (rule.Log is { } log && (System.Text.Encoding.UTF8.GetByteCount(log.Prefix) > MaxLogPrefixBytes || log.Prefix.Any(char.IsControl)))
            {
                Error(DiagnosticIds.ValueOutOfRange, path + ".log.prefix",
                    $"Rule '{rule.Name}': a log prefix holds at most {MaxLogPrefixBytes} bytes of printable text (the kernel's NF_LOG_PREFIXLEN).");
            }

            CheckRuleProtocol(rule, path);
            CheckRuleFamily(rule, path);
            CheckAddressMatch(rule.Source, path + ".source");
            CheckAddressMatch(rule.Destination, path + ".destination");
        }

        CheckJumpCycles();
    }

    /// <summary>Jumps that lead back to where they started never end; nftables refuses such a ruleset.</summary>
    private void CheckJumpCycles()
    {
        var edges = _doc.FirewallRules.Where(r => r.Jump is not null && r.Jump != r.Chain)
            .GroupBy(r => r.Chain, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(r => r.Jump!).Distinct().ToList(), StringComparer.Ordinal);
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: on the path, true: done
        foreach (string chain in edges.Keys)
        {
            if (Visit(chain, [chain]) is { } cycle)
            {
                int at = RouterDocument.IndexOf(_doc.FirewallRules, r => r.Chain == cycle[^2] && r.Jump == cycle[^1]);
                Error(DiagnosticIds.InvalidCombination, $"firewallRules[{at}].jump", $"Jumps go round in a loop: {string.Join(" -> ", cycle)}.");
                return;
            }
        }

        List<string>? Visit(string chain, List<string> path)
        {
            if (state.TryGetValue(chain, out bool done))
            {
                return done ? null : path;
            }

            state[chain] = false;
            foreach (string next in edges.GetValueOrDefault(chain) ?? [])
            {
                if (Visit(next, [.. path, next]) is { } cycle)
                {
                    return cycle;
                }
            }

            state[chain] = true;
            return null;
        }
    }

    private void CheckRuleProtocol(FirewallRule rule, string path)
    {
        bool hasPorts = rule.SourcePorts.Count > 0 || rule.DestinationPorts.Count > 0;
        if (hasPorts && (rule.Protocol is null || !s_portProtocols.Contains(rule.Protocol)))
        {
            Error(DiagnosticIds.InvalidCombination, path + (rule.DestinationPorts.Count > 0 ? ".dport" : ".sport"),
                $"Rule '{rule.Name}' matches ports, which needs protocol tcp, udp, sctp or udplite (it has {rule.Protocol ?? "none"}).");
        }

        if (rule.IcmpTypes.Count > 0 && rule.Protocol is not (null or "icmp"))
        {
            Error(DiagnosticIds.InvalidCombination, path + ".icmpType", $"Rule '{rule.Name}' matches ICMP types with protocol {rule.Protocol}.");
        }

        if (rule.Icmpv6Types.Count > 0 && rule.Protocol is not (null or "icmpv6"))
        {
            Error(DiagnosticIds.InvalidCombination, path + ".icmpv6Type", $"Rule '{rule.Name}' matches ICMPv6 types with protocol {rule.Protocol}.");
        }

        if (rule.IcmpTypes.Count > 0 && rule.Icmpv6Types.Count > 0)
        {
            Error(DiagnosticIds.InvalidCombination, path + ".icmpType", $"Rule '{rule.Name}' matches both ICMP and ICMPv6 types; a packet is one or the other. Split it in two rules.");
        }

        if (rule.TcpFlags is { } flags)
        {
            if (rule.Protocol is not (null or "tcp"))
            {
                Error(DiagnosticIds.InvalidCombination, path + ".tcpFlags", $"Rule '{rule.Name}' matches TCP flags with protocol {rule.Protocol}.");
            }

            if (flags.Set.Any(f => !flags.Mask.Contains(f)))
            {
                Error(DiagnosticIds.InvalidCombination, path + ".tcpFlags.set", $"Rule '{rule.Name}': every flag in 'set' must also be in 'mask'.");
            }
        }
    }

    private void CheckRuleFamily(FirewallRule rule, string path)
    {
        bool v4Only = rule.Family == FirewallFamily.Ip;
        bool v6Only = rule.Family == FirewallFamily.Ip6;
        if (v4Only && (rule.Icmpv6Types.Count > 0 || rule.Protocol == "icmpv6"))
        {
            Error(DiagnosticIds.AddressFamilyMismatch, path + ".family", $"Rule '{rule.Name}' is for IPv4 (family ip) but matches ICMPv6.");
        }

        if (v6Only && (rule.IcmpTypes.Count > 0 || rule.Protocol == "icmp"))
        {
            Error(DiagnosticIds.AddressFamilyMismatch, path + ".family", $"Rule '{rule.Name}' is for IPv6 (family ip6) but matches ICMP for IPv4.");
        }

        foreach ((AddressMatch? match, string key) in new[] { (rule.Source, "source"), (rule.Destination, "destination") })
        {
            if (match is PrefixMatch p)
            {
                bool isV4 = IsV4(p.Prefix.BaseAddress);
                if ((v4Only && !isV4) || (v6Only && isV4))
                {
                    Error(DiagnosticIds.AddressFamilyMismatch, $"{path}.{key}", $"Rule '{rule.Name}' is for {(v4Only ? "IPv4" : "IPv6")} but its {key} {p} is not.");
                }
            }
        }

        if (rule.Source is PrefixMatch s && rule.Destination is PrefixMatch d && IsV4(s.Prefix.BaseAddress) != IsV4(d.Prefix.BaseAddress))
        {
            Error(DiagnosticIds.AddressFamilyMismatch, path + ".destination", $"Rule '{rule.Name}' has an {(IsV4(s.Prefix.BaseAddress) ? "IPv4" : "IPv6")} source and a destination of the other family.");
        }
    }

    private void CheckAddressMatch(AddressMatch? match, string path)
    {
        switch (match)
        {
            case DelegatedPrefixMatch d when FindDelegation(d.Delegation) is null:
                Error(DiagnosticIds.UnknownDelegation, path, $"The rule matches the prefix of delegation '{d.Delegation}', which is not declared under prefixDelegations.");
                break;
            case LanSubnetMatch l when FindInterface(l.Interface) is not { } iface:
                Error(DiagnosticIds.UnknownInterface, path, $"The rule matches the LAN subnet of '{l.Interface}', which is not declared under interfaces.");
                break;
            case LanSubnetMatch l when !HasSubnet(FindInterface(l.Interface)!):
                Error(DiagnosticIds.BindingNeverResolves, path, $"The rule matches the LAN subnet of {l.Interface}, which has no address declared and no delegated /64: there is no subnet to match.");
                break;
            case TunnelRemoteMatch t when !_tunnelIndex.ContainsKey(t.Tunnel):
                Error(DiagnosticIds.UnknownTunnel, path, $"The rule matches the remote of tunnel '{t.Tunnel}', which is not declared under tunnels.");
                break;
        }
    }

    private bool HasSubnet(Interface i) =>
        i.Addresses.Count > 0 || _doc.PrefixDelegations.Any(p => p.Downstreams.Any(d => d.Interface == i.Name));
}
