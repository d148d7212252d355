using System.Diagnostics;
using IpoeRouter.Lab;
using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Linux.Nft;
using Xunit;
using Xunit.Abstractions;

namespace IpoeRouter.Linux.Tests.Netns;

/// <summary>
/// The nftables listener against the real kernel: a transaction committed in a fresh namespace
/// gives one generation event whose id is the generation read afterwards and whose pid and name
/// are the committer's.
/// </summary>
public sealed class NftEventListenerTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [NetnsFact]
    public void NftCommand_GivesOneGenerationEvent_WithTheGenerationReadAfterwards_AndNftsPid()
    {
        using var ns = new NetnsFixture();
        using var listener = NftEventListener.Open(NetworkNamespace.Named(ns.Name), TimeSpan.FromMilliseconds(200));
        output.WriteLine($"receive buffer granted: {listener.ReceiveBufferBytes} bytes");
        string file = Path.GetTempFileName();
        int pid;
        try
        {
            File.WriteAllText(file, "add table inet evt\nadd chain inet evt input { type filter hook input priority 0; policy accept; }\nadd rule inet evt input counter\n");
            pid = RunNft(ns, "-f", file);
        }
        finally
        {
            File.Delete(file);
        }

        List<NftEvent> events = Collect(listener);
        NftEvent generation = Assert.Single(events);
        Assert.Equal(NftEventKind.Generation, generation.Kind);
        using NetlinkSocket netfilter = NetworkNamespace.Named(ns.Name).OpenSocket(protocol: NetlinkConstants.ProtocolNetfilter);
        Assert.Equal(NftGeneration.Read(netfilter), generation.GenerationId);
        Assert.Equal(pid, generation.ProcessId); // ip netns exec execs nft in place: the pid is nft's
        Assert.Equal("nft", generation.ProcessName);
        Assert.Equal(3, generation.ObjectMessages); // NFT_MSG_NEWTABLE, NEWCHAIN, NEWRULE

        // A second transaction: the next generation, one event again.
        RunNft(ns, "add", "table", "inet", "evt2");
        NftEvent next = Assert.Single(Collect(listener));
        Assert.Equal((NftEventKind.Generation, generation.GenerationId + 1, 1), (next.Kind, next.GenerationId, next.ObjectMessages));
    }

    [NetnsFact]
    public void NftContextOnANamespaceThread_IsNamedByThatThreadsIdAndName()
    {
        using var ns = new NetnsFixture();
        using var listener = NftEventListener.Open(NetworkNamespace.Named(ns.Name), TimeSpan.FromMilliseconds(200));

        // The kernel records task_pid_nr(current): the committing thread, not the process.
        int tid = NetworkNamespace.Named(ns.Name).Run(() =>
        {
            using var nft = new NftContext();
            nft.Run("add table inet ours");
            string self = File.ResolveLinkTarget("/proc/thread-self", returnFinalTarget: false)?.Name ?? "?"; // "PID/task/TID": its last part
            return int.Parse(self, System.Globalization.CultureInfo.InvariantCulture);
        });

        NftEvent generation = Assert.Single(Collect(listener));
        Assert.Equal(NftEventKind.Generation, generation.Kind);
        using NetlinkSocket netfilter = NetworkNamespace.Named(ns.Name).OpenSocket(protocol: NetlinkConstants.ProtocolNetfilter);
        Assert.Equal(NftGeneration.Read(netfilter), generation.GenerationId);
        Assert.Equal(tid, generation.ProcessId);
        Assert.NotEqual(Environment.ProcessId, generation.ProcessId);
        Assert.Equal("netns-run", generation.ProcessName); // .NET gives the OS thread its managed name
        Assert.Equal(1, generation.ObjectMessages);
    }

    [NetnsFact]
    public void ATransactionThatChangesNothing_GivesNoEvent_AndKeepsTheGeneration()
    {
        using var ns = new NetnsFixture();
        RunNft(ns, "add", "table", "inet", "evt");
        using var listener = NftEventListener.Open(NetworkNamespace.Named(ns.Name), TimeSpan.FromMilliseconds(200));
        using NetlinkSocket netfilter = NetworkNamespace.Named(ns.Name).OpenSocket(protocol: NetlinkConstants.ProtocolNetfilter);
        uint before = NftGeneration.Read(netfilter);

        RunNft(ns, "add", "table", "inet", "evt"); // exists already: nft accepts it, the kernel commits nothing
        RunNft(ns, "add", "table", "inet", "marker");

        NftEvent only = Assert.Single(Collect(listener));
        Assert.Equal((NftEventKind.Generation, before + 1, 1), (only.Kind, only.GenerationId, only.ObjectMessages));
    }

    /// <summary>Receives until a generation event and for one more timeout after it (to see a second one if there were).</summary>
    private List<NftEvent> Collect(NftEventListener listener)
    {
        var events = new List<NftEvent>();
        var clock = Stopwatch.StartNew();
        while (!events.Exists(e => e.Kind == NftEventKind.Generation) && clock.Elapsed < Wait)
        {
            events.AddRange(listener.Receive());
        }

        events.AddRange(listener.Receive());
        foreach (NftEvent e in events)
        {
            output.WriteLine($"{e.Kind} {e.Summary}");
        }

        return events;
    }

    /// <summary>Runs nft in the namespace and returns its pid.</summary>
    private static int RunNft(NetnsFixture ns, params string[] args)
    {
        var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "netns", "exec", ns.Name, "nft" }.Concat(args))
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"nft {string.Join(' ', args)} failed: {error}");
        return p.Id;
    }
}
