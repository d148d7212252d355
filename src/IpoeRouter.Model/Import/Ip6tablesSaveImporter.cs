using System.Globalization;
using System.Text;

namespace IpoeRouter.Model.Import;

/// <summary>
/// Reads <c>ip6tables-save</c> output (the filter table) into firewall rules for IPv6. Every line
/// is accounted for: a rule, absorbed into another, or reported as not expressible with its line
/// number; nothing is dropped silently. The seed's ICMP-flood pattern (<c>recent --set</c>, then
/// <c>recent --update --seconds S --hitcount H</c>) becomes a per-source rate limit of H-1 per S.
/// </summary>
public static partial class Ip6tablesSaveImporter
{
    private static readonly string[] s_ignoredModules = ["tcp", "udp", "icmp6", "ipv6-icmp", "state", "conntrack", "limit", "recent", "multiport", "comment"];

    /// <summary>Imports <paramref name="text"/>.</summary>
    public static FirewallImport Import(string text)
    {
        var lines = new List<ImportedLine>();
        var rules = new List<FirewallRule>();
        var policy = new FirewallPolicy();
        var counters = new Dictionary<string, int>(StringComparer.Ordinal);
        string? table = null;
        string[] raw = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (int i = 0; i < raw.Length; i++)
        {
            string line = raw[i].Trim();
            int number = i + 1;
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith('*'))
            {
                table = line[1..];
                lines.Add(new ImportedLine(number, line, table == "filter" ? ImportOutcome.Absorbed : ImportOutcome.NotExpressible, null,
                    table == "filter" ? "the filter table" : $"table {table}: only the filter table is imported"));
                continue;
            }

            if (table != "filter")
            {
                lines.Add(new ImportedLine(number, line, ImportOutcome.NotExpressible, null, $"part of table {table ?? "(none)"}, which is not imported"));
                continue;
            }

            if (line == "COMMIT")
            {
                lines.Add(new ImportedLine(number, line, ImportOutcome.Absorbed, null, "end of the table"));
                continue;
            }

            if (line.StartsWith(':'))
            {
                lines.Add(ChainLine(number, line, ref policy));
                continue;
            }

            List<string>? words = Tokenize(line);
            if (words is null)
            {
                lines.Add(new ImportedLine(number, line, ImportOutcome.NotExpressible, null, "unbalanced quotes"));
                continue;
            }

            if (words[0] == "-N")
            {
                lines.Add(new ImportedLine(number, line, ImportOutcome.Absorbed, null, $"declares chain {ChainName(words.ElementAtOrDefault(1) ?? string.Empty)}; it exists through its rules"));
                continue;
            }

            if (words[0] != "-A" || words.Count < 2)
            {
                lines.Add(new ImportedLine(number, line, ImportOutcome.NotExpressible, null, $"'{words[0]}' is not a rule"));
                continue;
            }

            string chain = ChainName(words[1]);
            counters[chain] = counters.GetValueOrDefault(chain) + 1;
            string name = $"{chain}-{counters[chain].ToString(CultureInfo.InvariantCulture)}";
            var (rule, outcome, note) = RuleLine(name, chain, words.Skip(2).ToList());
            if (rule is not null)
            {
                rules.Add(rule);
            }

            lines.Add(new ImportedLine(number, line, outcome, rule?.Name, note));
        }

        return new FirewallImport(rules, policy, lines);
    }

    private static ImportedLine ChainLine(int number, string line, ref FirewallPolicy policy)
    {
        string[] parts = line[1..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string chain = ChainName(parts[0]);
        string verdict = parts.ElementAtOrDefault(1) ?? "-";
        ChainPolicy? p = verdict switch { "ACCEPT" => ChainPolicy.Accept, "DROP" => ChainPolicy.Drop, _ => null };
        switch (chain)
        {
            case "input": policy = policy with { Input = p }; break;
            case "forward": policy = policy with { Forward = p }; break;
            case "output": policy = policy with { Output = p }; break;
            default:
                return new ImportedLine(number, line, ImportOutcome.Absorbed, null, $"declares chain {chain}; it exists through its rules");
        }

        return p is null
            ? new ImportedLine(number, line, ImportOutcome.NotExpressible, null, $"policy {verdict} of {chain}: only ACCEPT and DROP exist")
            : new ImportedLine(number, line, ImportOutcome.Absorbed, null, $"policy of {chain}: {p.Value.ToString().ToLowerInvariant()}");
    }

    /// <summary>Base chains lower-case as nftables spells them; user chains lower-case too (ICMPFLOOD → icmpflood).</summary>
    private static string ChainName(string iptablesChain) => iptablesChain.ToLowerInvariant();

    /// <summary>Splits on blanks, keeping "quoted strings" (log prefixes) whole; null for unbalanced quotes.</summary>
    private static List<string>? Tokenize(string line)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        bool quoted = false, any = false;
        foreach (char c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
                any = true;
            }
            else if (char.IsWhiteSpace(c) && !quoted)
            {
                if (any)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    any = false;
                }
            }
            else
            {
                current.Append(c);
                any = true;
            }
        }

        if (quoted)
        {
            return null;
        }

        if (any)
        {
            words.Add(current.ToString());
        }

        return words;
    }
}
