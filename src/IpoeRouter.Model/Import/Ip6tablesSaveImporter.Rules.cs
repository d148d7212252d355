using System.Globalization;

namespace IpoeRouter.Model.Import;

public static partial class Ip6tablesSaveImporter
{
    /// <summary>One <c>-A</c> line's options after the chain name.</summary>
    private static (FirewallRule? Rule, ImportOutcome Outcome, string Note) RuleLine(string name, string chain, List<string> w)
    {
        var rule = new FirewallRule(name, chain) { Family = FirewallFamily.Ip6 };
        var recent = new Dictionary<string, string?>(StringComparer.Ordinal);
        (int Rate, RateUnit Unit, int? Burst)? limit = null;
        string? target = null, logPrefix = null;
        for (int i = 0; i < w.Count; i++)
        {
            string opt = w[i];
            string? Arg() => ++i < w.Count ? w[i] : null;
            if (opt == "!")
            {
                return (null, ImportOutcome.NotExpressible, $"negation ('! {w.ElementAtOrDefault(i + 1)}') is not in the document's vocabulary");
            }

            switch (opt)
            {
                case "-i": rule = rule with { InputInterface = Arg() }; break;
                case "-o": rule = rule with { OutputInterface = Arg() }; break;
                case "-p":
                    string? proto = Arg();
                    if (!ValueText.TryParseProtocol(proto, out string? p))
                    {
                        return (null, ImportOutcome.NotExpressible, $"protocol {proto} is not known");
                    }

                    rule = rule with { Protocol = p };
                    break;
                case "-m":
                    string? module = Arg();
                    if (!s_ignoredModules.Contains(module))
                    {
                        return (null, ImportOutcome.NotExpressible, $"match module {module} is not in the document's vocabulary");
                    }

                    break;
                case "-s" or "-d":
                    string? prefixText = Arg();
                    if (prefixText is null || !PrefixMath.TryParsePrefix(prefixText.Contains('/', StringComparison.Ordinal) ? prefixText : prefixText + "/128", out System.Net.IPNetwork prefix))
                    {
                        return (null, ImportOutcome.NotExpressible, $"'{prefixText}' is not a prefix");
                    }

                    rule = opt == "-s" ? rule with { Source = new PrefixMatch(prefix) } : rule with { Destination = new PrefixMatch(prefix) };
                    break;
                case "--dport" or "--sport" or "--dports" or "--sports":
                    var ports = new List<PortRange>();
                    foreach (string part in (Arg() ?? string.Empty).Split(','))
                    {
                        if (!ValueText.TryParsePort(part.Replace(':', '-'), out PortRange? port))
                        {
                            return (null, ImportOutcome.NotExpressible, $"'{part}' is not a port");
                        }

                        ports.Add(port);
                    }

                    rule = opt.StartsWith("--d", StringComparison.Ordinal) ? rule with { DestinationPorts = [.. ports] } : rule with { SourcePorts = [.. ports] };
                    break;
                case "--icmpv6-type":
                    string? type = Arg();
                    if (type is null || type.Contains('/', StringComparison.Ordinal) || IcmpTypeNames.Parse(type, v6: true) is not { } t)
                    {
                        return (null, ImportOutcome.NotExpressible, $"ICMPv6 type '{type}' (codes are not in the document's vocabulary)");
                    }

                    rule = rule with { Icmpv6Types = [.. rule.Icmpv6Types, t] };
                    break;
                case "--state" or "--ctstate":
                    var states = new List<ConnectionState>();
                    foreach (string s in (Arg() ?? string.Empty).Split(','))
                    {
                        if (!Enum.TryParse(s, ignoreCase: true, out ConnectionState state))
                        {
                            return (null, ImportOutcome.NotExpressible, $"connection state {s} is not known");
                        }

                        states.Add(state);
                    }

                    rule = rule with { ConnectionStates = [.. states] };
                    break;
                case "--tcp-flags":
                    string? mask = Arg(), set = Arg();
                    if (Flags(mask) is not { } m || Flags(set) is not { } st)
                    {
                        return (null, ImportOutcome.NotExpressible, $"TCP flags '{mask} {set}'");
                    }

                    rule = rule with { TcpFlags = new TcpFlagsMatch([.. m], [.. st]) };
                    break;
                case "--limit":
                    if (Rate(Arg()) is not { } rate)
                    {
                        return (null, ImportOutcome.NotExpressible, $"rate '{w[i]}'");
                    }

                    limit = (rate.Count, rate.Unit, limit?.Burst);
                    break;
                case "--limit-burst":
                    limit = limit is { } l && int.TryParse(Arg(), NumberStyles.None, CultureInfo.InvariantCulture, out int burst) ? (l.Rate, l.Unit, burst) : limit;
                    break;
                case "--set" or "--update" or "--rcheck" or "--rsource" or "--rttl" or "--remove":
                    recent[opt] = null;
                    break;
                case "--seconds" or "--hitcount" or "--name":
                    recent[opt] = Arg();
                    break;
                case "-j":
                    target = Arg();
                    break;
                case "--log-prefix":
                    logPrefix = Arg();
                    break;
                default:
                    return (null, ImportOutcome.NotExpressible, $"option {opt} is not in the document's vocabulary");
            }
        }

        return Finish(rule, recent, limit, target, logPrefix);
    }

    private static (FirewallRule? Rule, ImportOutcome Outcome, string Note) Finish(
        FirewallRule rule, Dictionary<string, string?> recent, (int Rate, RateUnit Unit, int? Burst)? limit, string? target, string? logPrefix)
    {
        string note = "imported";
        if (recent.ContainsKey("--set") && target is null)
        {
            return (null, ImportOutcome.Absorbed, "recent --set only counts packets per source; the per-source limit of the --update rules that follow does the counting");
        }

        if (recent.ContainsKey("--update") || recent.ContainsKey("--rcheck"))
        {
            if (!int.TryParse(recent.GetValueOrDefault("--hitcount"), NumberStyles.None, CultureInfo.InvariantCulture, out int hits) || hits < 2
                || !int.TryParse(recent.GetValueOrDefault("--seconds"), NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) || Unit(seconds) is not { } unit)
            {
                return (null, ImportOutcome.NotExpressible, "recent without a --hitcount of 2 or more and --seconds of 1, 60, 3600 or 86400");
            }

            // "seen H times within S" = more than H-1 per S from one source. A limit on the same rule (the
            // seed's LOG line) only throttles the log, which a per-source meter cannot carry as well.
            rule = rule with { Limit = new RateLimit(hits - 1, unit) { Over = true, PerSource = true } };
            if (limit is not null)
            {
                limit = null;
                note = "imported as a per-source limit; the rule's own --limit (which only throttled its log) is not kept: one rule holds one limit";
            }
        }

        if (limit is { } l)
        {
            rule = rule with { Limit = new RateLimit(l.Rate, l.Unit) { Burst = l.Burst } };
        }

        switch (target)
        {
            case "ACCEPT": rule = rule with { Action = RuleVerdict.Accept }; break;
            case "DROP": rule = rule with { Action = RuleVerdict.Drop }; break;
            case "REJECT": rule = rule with { Action = RuleVerdict.Reject }; break;
            case "RETURN": rule = rule with { Action = RuleVerdict.Return }; break;
            case "LOG": rule = rule with { Log = new LogAction(logPrefix ?? string.Empty) }; break;
            case null: break;
            default: rule = rule with { Jump = ChainName(target) }; break;
        }

        return (rule, ImportOutcome.Imported, note);
    }

    private static List<TcpFlag>? Flags(string? text)
    {
        var flags = new List<TcpFlag>();
        foreach (string f in (text ?? string.Empty).Split(','))
        {
            if (f == "NONE")
            {
                continue;
            }

            if (!Enum.TryParse(f, ignoreCase: true, out TcpFlag flag))
            {
                return null;
            }

            flags.Add(flag);
        }

        return flags;
    }

    private static (int Count, RateUnit Unit)? Rate(string? text)
    {
        string[] parts = (text ?? string.Empty).Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count <= 0)
        {
            return null;
        }

        RateUnit? unit = parts[1] switch
        {
            "sec" or "second" or "s" => RateUnit.Second,
            "min" or "minute" or "m" => RateUnit.Minute,
            "hour" or "h" => RateUnit.Hour,
            "day" or "d" => RateUnit.Day,
            _ => null,
        };
        return unit is { } u ? (count, u) : null;
    }

    private static RateUnit? Unit(int seconds) => seconds switch
    {
        1 => RateUnit.Second,
        60 => RateUnit.Minute,
        3600 => RateUnit.Hour,
        86400 => RateUnit.Day,
        _ => null,
    };
}
