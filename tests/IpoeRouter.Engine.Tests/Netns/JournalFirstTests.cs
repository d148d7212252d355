using IpoeRouter.Engine.Kernel;
using IpoeRouter.Engine.Planning;
using IpoeRouter.Lab;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Model.Yaml;
using Xunit;

namespace IpoeRouter.Engine.Tests.Netns;

/// <summary>
/// Journal first: a reconcile that is given a journal hands it the undo steps before its first
/// change, and those steps alone take the kernel back; a journal that cannot be written means no change.
/// </summary>
public sealed class JournalFirstTests
{
    [NetnsFact]
    public void Reconcile_WithJournal_WritesItBeforeTheFirstChange_AndItUndoesEverything()
    {
        using var ns = new NetnsFixture();
        using var real = new NetlinkKernel(NetworkNamespace.Named(ns.Name));
        string before = ReconcileNamespaceTests.State(ns);
        var events = new List<string>();
        IReadOnlyList<KernelOperation>? written = null;

        ReconcileResult result = new Reconciler(new RecordingKernel(real, events)).Reconcile(
            DocumentLoader.Load(ReconcileNamespaceTests.Doc, "doc.yaml").Effective, RuntimeFacts.None,
            journalFirst: undo =>
            {
                events.Add("journal");
                written = undo;
            });

        Assert.IsType<ReconcileOutcome.Converged>(result.Outcome);
        Assert.Equal("journal", events[0]);
        Assert.True(events.Count(e => e.StartsWith("change", StringComparison.Ordinal)) >= 6, string.Join("\n", events));
        Assert.NotNull(written);
        Assert.NotEqual(before, ReconcileNamespaceTests.State(ns));

        // What was written before anything changed is enough to go back: a kill right after the apply loses nothing.
        Assert.Empty(Applier.Undo(real, written!));
        Assert.Equal(before, ReconcileNamespaceTests.State(ns));
    }

    [NetnsFact]
    public void Reconcile_JournalCannotBeWritten_ChangesNothing()
    {
        using var ns = new NetnsFixture();
        using var real = new NetlinkKernel(NetworkNamespace.Named(ns.Name));
        string before = ReconcileNamespaceTests.State(ns);
        var events = new List<string>();

        var e = Assert.Throws<IOException>(() => new Reconciler(new RecordingKernel(real, events)).Reconcile(
            DocumentLoader.Load(ReconcileNamespaceTests.Doc, "doc.yaml").Effective, RuntimeFacts.None,
            journalFirst: _ => throw new IOException("no space left on device")));

        Assert.Equal("no space left on device", e.Message);
        Assert.Empty(events);
        Assert.Equal(before, ReconcileNamespaceTests.State(ns));
    }
}
