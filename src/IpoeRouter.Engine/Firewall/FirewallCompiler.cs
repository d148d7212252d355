using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using IpoeRouter.Engine.Planning;
using IpoeRouter.Model;

namespace IpoeRouter.Engine.Firewall;

/// <summary>The firewall as one nftables transaction, and what of it waits for bindings.</summary>
public sealed record CompiledFirewall(string Transaction, string Fingerprint, IReadOnlyList<string> Omitted, IReadOnlyList<string> Blocking)
{
    /// <summary>True when a drop or reject rule depends on a binding that has no value yet: the table is not applied, the old one stays.</summary>
    public bool IsBlocked => Blocking.Count > 0;
}

/// <summary>
/// Compiles the document's firewall (or the default policy when it declares no rules) into one
/// JSON transaction for libnftables that replaces the table <c>inet ipoe</c> whole: add it (so the
/// delete cannot fail), delete it, add it again with chains and rules. The kernel applies the
/// transaction atomically: there is never a moment without the policy. Bindings resolve from the
/// document and runtime facts; a rule whose binding has no value is left out when it accepts (the
/// table is only more closed), and holds the whole table back when it drops or rejects.
/// </summary>
public sealed partial class FirewallCompiler
{
    /// <summary>The table the engine owns.</summary>
    public const string Table = "ipoe";

    private readonly RouterDocument _doc;
    private readonly RuntimeFacts _facts;
    private readonly List<string> _omitted = [];
    private readonly List<string> _blocking = [];

    private FirewallCompiler(RouterDocument doc, RuntimeFacts facts)
    {
        _doc = doc;
        _facts = facts;
    }

    /// <summary>Compiles <paramref name="effective"/>'s firewall.</summary>
    public static CompiledFirewall Compile(RouterDocument effective, RuntimeFacts facts)
    {
        var c = new FirewallCompiler(effective, facts);
        IReadOnlyList<FirewallRule> rules = effective.FirewallRules.Count > 0 ? effective.FirewallRules : DefaultFirewall.Rules(effective);
        FirewallPolicy policy = effective.Firewall ?? DefaultFirewall.Policy;
        var commands = new JsonArray(
            Command("add", "table", TableRef()),
            Command("delete", "table", TableRef()),
            Command("add", "table", TableRef()));
        foreach (var (name, hook, p) in new[] { ("input", "input", policy.Input ?? ChainPolicy.Drop), ("forward", "forward", policy.Forward ?? ChainPolicy.Drop), ("output", "output", policy.Output ?? ChainPolicy.Accept) })
        {
            commands.Append(Command("add", "chain", new JsonObject
            {
                ["family"] = "inet", ["table"] = Table, ["name"] = name, ["type"] = "filter", ["hook"] = hook, ["prio"] = 0, ["policy"] = p == ChainPolicy.Drop ? "drop" : "accept",
            }));
        }

        foreach (string chain in rules.Select(r => r.Chain).Where(ch => !FirewallRule.BaseChains.Contains(ch)).Distinct())
        {
            commands.Append(Command("add", "chain", new JsonObject { ["family"] = "inet", ["table"] = Table, ["name"] = chain }));
        }

        if (policy.ClampMss ?? true)
        {
            foreach (Tunnel t in effective.Tunnels.Where(t => t.Exist))
            {
                foreach (JsonArray expr in MssClamp(t))
                {
                    commands.Append(RuleCommand("forward", $"mss-clamp-{t.Name}", expr));
                }
            }
        }

        foreach (FirewallRule rule in rules)
        {
            foreach (JsonArray expr in c.Expressions(rule))
            {
                commands.Append(RuleCommand(rule.Chain, rule.Name, expr));
            }
        }

        string transaction = new JsonObject { ["nftables"] = commands }.ToJsonString();
        return new CompiledFirewall(transaction, Fingerprint(transaction), c._omitted, c._blocking);
    }

    /// <summary>
    /// A 128-bit XXH3 of text, hex: detects a changed ruleset (nothing adversarial to resist), and keeps
    /// libcrypto (3 MB of resident pages) out of the agent.
    /// </summary>
    public static string Fingerprint(string text) => Convert.ToHexString(System.IO.Hashing.XxHash128.Hash(Encoding.UTF8.GetBytes(text)));

    private static JsonObject TableRef() => new() { ["family"] = "inet", ["name"] = Table };

    private static JsonObject Command(string verb, string kind, JsonObject body) => new() { [verb] = new JsonObject { [kind] = body } };

    private static JsonObject RuleCommand(string chain, string comment, JsonArray expr) =>
        Command("add", "rule", new JsonObject { ["family"] = "inet", ["table"] = Table, ["chain"] = chain, ["comment"] = comment, ["expr"] = expr });

    /// <summary>
    /// TCP MSS clamping for IPv4 through the tunnel: SYNs leaving by it get the route MTU's MSS
    /// (1420 for 1460), SYNs arriving by it are lowered to that when they offer more.
    /// </summary>
    private static IEnumerable<JsonArray> MssClamp(Tunnel t)
    {
        int mss = t.EffectiveMtu - 40;
        JsonObject maxseg() => new() { ["tcp option"] = new JsonObject { ["name"] = "maxseg", ["field"] = "size" } };
        JsonObject syn() => Match("==", new JsonObject { ["&"] = new JsonArray(Payload("tcp", "flags"), "syn") }, "syn");
        yield return new JsonArray(
            Match("==", Meta("oifname"), t.Name), Match("==", Meta("l4proto"), 6), syn(),
            new JsonObject { ["mangle"] = new JsonObject { ["key"] = maxseg(), ["value"] = new JsonObject { ["rt"] = new JsonObject { ["key"] = "mtu" } } } });
        yield return new JsonArray(
            Match("==", Meta("iifname"), t.Name), Match("==", Meta("l4proto"), 6), syn(), Match(">", maxseg(), mss),
            new JsonObject { ["mangle"] = new JsonObject { ["key"] = maxseg(), ["value"] = mss } });
    }

    private static JsonObject Match(string op, JsonNode left, JsonNode? right) =>
        new() { ["match"] = new JsonObject { ["op"] = op, ["left"] = left, ["right"] = right } };

    private static JsonObject Meta(string key) => new() { ["meta"] = new JsonObject { ["key"] = key } };

    private static JsonObject Payload(string protocol, string field) => new() { ["payload"] = new JsonObject { ["protocol"] = protocol, ["field"] = field } };

    private static bool IsV4(IPNetwork n) => n.BaseAddress.AddressFamily == AddressFamily.InterNetwork;
}
