using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using IpoeRouter.Lab;
using IpoeRouter.Engine.Kernel;
using IpoeRouter.Engine.Planning;
using IpoeRouter.Model;
using IpoeRouter.Model.Yaml;

namespace IpoeRouter.Bench;

/// <summary>
/// A no-op reconcile of a converged namespace holding 1,000 routes and 100 addresses, against what
/// a cron script does: <c>ip -batch</c> re-applying the same set blindly. Same namespace, same run.
/// Root only (it makes a namespace); the namespace is removed at the end.
/// </summary>
public class ReconcileNoOpBenchmark
{
    private string _ns = string.Empty;
    private string _batch = string.Empty;
    private NetlinkKernel _kernel = null!;
    private RouterDocument _document = RouterDocument.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _ns = $"ipoe-bench-{Environment.ProcessId}";
        Ip($"netns add {_ns}");
        Ip($"-n {_ns} link add v0 type veth peer name v1");
        var yaml = new StringBuilder("version: 1\ninterfaces:\n  - name: v0\n    role: lan\n    addresses:\n");
        var batch = new StringBuilder();
        for (int i = 1; i <= 100; i++)
        {
            string a = string.Create(CultureInfo.InvariantCulture, $"2001:db8:0:{i:x}::1/64");
            yaml.Append("      - \"").Append(a).Append("\"\n");
            batch.Append("addr replace ").Append(a).Append(" dev v0 nodad\n");
        }

        yaml.Append("routes:\n");
        for (int i = 0; i < 1000; i++)
        {
            string d = string.Create(CultureInfo.InvariantCulture, $"2001:db8:{0x1000 + i:x}::/48");
            yaml.Append("  - { destination: \"").Append(d).Append("\", interface: v0 }\n");
            batch.Append("route replace ").Append(d).Append(" dev v0 proto 233\n");
        }

        _batch = Path.Combine(Path.GetTempPath(), $"{_ns}.batch");
        File.WriteAllText(_batch, batch.ToString());
        _document = DocumentLoader.Load(yaml.ToString(), "bench.yaml").Effective;
        _kernel = NetlinkKernel.Open(_ns);
        ReconcileResult first = new Reconciler(_kernel).Reconcile(_document, RuntimeFacts.None);
        if (first.Outcome is not ReconcileOutcome.Converged)
        {
            throw new InvalidOperationException($"setup did not converge: {first.Outcome}");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _kernel?.Dispose();
        Ip($"netns delete {_ns}");
        File.Delete(_batch);
        File.Delete($"/run/ipoe/firewall-{_ns}.json");
    }

    /// <summary>Observe, plan, nothing to apply: what the engine does on a converged router.</summary>
    [Benchmark]
    public int EngineNoOpReconcile()
    {
        ReconcileResult r = new Reconciler(_kernel).Reconcile(_document, RuntimeFacts.None);
        return r.Outcome is ReconcileOutcome.Converged && r.Applied.Count == 0 ? 0 : throw new InvalidOperationException("not a no-op");
    }

    /// <summary>The peer: re-apply everything blindly with iproute2's batch mode.</summary>
    [Benchmark(Baseline = true)]
    public int IpBatchReapply() => Ip($"-n {_ns} -batch {_batch}").Length;

    private static string Ip(string args) => NetnsFixture.Ip(args);
}
