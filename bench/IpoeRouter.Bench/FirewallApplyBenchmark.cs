using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using IpoeRouter.Lab;
using IpoeRouter.Engine.Firewall;
using IpoeRouter.Engine.Planning;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Model;

namespace IpoeRouter.Bench;

/// <summary>
/// Replacing the table with 2,000 rules, and with one rule changed, through the engine (libnftables,
/// check mode then commit) against <c>nft -f</c> of the same ruleset in nft syntax. The nft runs
/// include <c>ip netns exec</c> (a few ms); the engine enters the namespace from a thread.
/// </summary>
public class FirewallApplyBenchmark
{
    private string _ns = string.Empty;
    private NftFirewall _firewall = null!;
    private CompiledFirewall _full = null!;
    private CompiledFirewall _changed = null!;
    private string _nftFull = string.Empty;
    private string _nftChanged = string.Empty;
    private int _flip;

    [GlobalSetup]
    public void Setup()
    {
        _ns = $"ipoe-benchfw-{Environment.ProcessId}";
        NetnsFixture.Ip($"netns add {_ns}");
        _firewall = new NftFirewall(NetworkNamespace.Named(_ns), _ns);
        _full = FirewallCompiler.Compile(Document(changedPort: null), RuntimeFacts.None);
        _changed = FirewallCompiler.Compile(Document(changedPort: 1500), RuntimeFacts.None);
        _nftFull = WriteNft(changedPort: null);
        _nftChanged = WriteNft(changedPort: 1500);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _firewall.Dispose();
        NetnsFixture.Ip($"netns delete {_ns}");
        File.Delete(_nftFull);
        File.Delete(_nftChanged);
        File.Delete($"/run/ipoe/firewall-{_ns}.json");
    }

    [Benchmark]
    public void Engine2000Rules() => _firewall.Apply(_full.Transaction, _full.Fingerprint);

    [Benchmark(Baseline = true)]
    public string NftF2000Rules() => NetnsFixture.Ip($"netns exec {_ns} nft -f {_nftFull}");

    [Benchmark]
    public void EngineOneRuleChanged()
    {
        CompiledFirewall next = (++_flip % 2 == 0) ? _full : _changed;
        _firewall.Apply(next.Transaction, next.Fingerprint);
    }

    [Benchmark]
    public string NftFOneRuleChanged() => NetnsFixture.Ip($"netns exec {_ns} nft -f {((++_flip % 2 == 0) ? _nftFull : _nftChanged)}");

    private static RouterDocument Document(int? changedPort) => RouterDocument.Empty with
    {
        Interfaces = [new Interface("v0") { Role = InterfaceRole.Lan }],
        Firewall = new FirewallPolicy { Input = ChainPolicy.Drop, Forward = ChainPolicy.Drop, Output = ChainPolicy.Accept, ClampMss = false },
        FirewallRules = ValueList<FirewallRule>.From(Enumerable.Range(1000, 2000).Select(p => new FirewallRule($"r{p}", "input")
        {
            InputInterface = "v0", Protocol = "tcp", DestinationPorts = [new PortRange(p == changedPort ? 60000 : p, p == changedPort ? 60000 : p)], Action = RuleVerdict.Accept,
        })),
    };

    private string WriteNft(int? changedPort)
    {
        var sb = new StringBuilder("add table inet ipoe\ndelete table inet ipoe\ntable inet ipoe {\n");
        sb.Append("  chain input { type filter hook input priority 0; policy drop;\n");
        for (int p = 1000; p < 3000; p++)
        {
            int port = p == changedPort ? 60000 : p;
            sb.Append(CultureInfo.InvariantCulture, $"    iifname \"v0\" meta l4proto 6 tcp dport {port} accept comment \"r{p}\"\n");
        }

        sb.Append("  }\n  chain forward { type filter hook forward priority 0; policy drop; }\n  chain output { type filter hook output priority 0; policy accept; }\n}\n");
        string file = Path.Combine(Path.GetTempPath(), $"{_ns}-{changedPort?.ToString(CultureInfo.InvariantCulture) ?? "full"}.nft");
        File.WriteAllText(file, sb.ToString());
        return file;
    }
}
