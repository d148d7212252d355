using System.Net;
using System.Text;
using IpoeRouter.Protocols.Wire;
using IpoeRouter.Services.Dhcp4Server;
using Xunit;

namespace IpoeRouter.Services.Tests;

public sealed class LeaseJournalTests : IDisposable
{
    private static readonly DateTimeOffset s_t0 = new(2026, 11, 25, 3, 4, 5, TimeSpan.Zero);
    private readonly string _dir;
    private readonly string _path;

    public LeaseJournalTests()
    {
        _dir = Path.Combine(Path.GetTempPath(), "lease-journal-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        _path = Path.Combine(_dir, "dhcp4-lan.journal");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static IPAddress Ip(int host) => new([192, 0, 2, (byte)host]);

    private static Dhcp4Lease Bound(int host, int client, string? name = null) => new(
        Ip(host),
        new Dhcp4ClientKey(new ByteString([1, 0, 0x5e, 0, 0, (byte)(client >> 8), (byte)client])),
        new ByteString([0, 0x5e, 0, 0, (byte)(client >> 8), (byte)client]),
        name,
        Dhcp4LeaseState.Bound,
        s_t0.AddSeconds(host * 60 + client));

    private static Dhcp4LeaseChange Put(Dhcp4Lease lease) => new(lease.Address, lease);

    private static void AssertSameTable(ILeaseTable expected, ILeaseTable actual) =>
        Assert.Equal(
            expected.All.OrderBy(l => l.Address.ToString(), StringComparer.Ordinal),
            actual.All.OrderBy(l => l.Address.ToString(), StringComparer.Ordinal));

    private static MemoryLeaseTable TableOf(params Dhcp4Lease[] leases) => new(leases);

    [Fact]
    public async Task MissingFile_IsAnEmptyTable_AndCommitsReadBackEqual()
    {
        var declined = new Dhcp4Lease(Ip(9), null, new ByteString([0, 1, 2, 3, 4, 5]), null, Dhcp4LeaseState.Declined, s_t0.AddHours(1));
        var released = Bound(3, 3, "printer") with { State = Dhcp4LeaseState.Released, Expiry = new DateTimeOffset(2026, 1, 2, 5, 6, 7, TimeSpan.FromHours(2)) };
        await using (LeaseJournal journal = LeaseJournal.Open(_path))
        {
            Assert.Empty(journal.Table.All);
            await journal.CommitAsync([Put(Bound(1, 1, "laptop")), Put(Bound(2, 2))]);
            await journal.CommitAsync([Put(declined), Put(released)]);
            Assert.Equal(2, journal.Flushes);
        }

        using LeaseJournal reopened = LeaseJournal.Open(_path);
        AssertSameTable(TableOf(Bound(1, 1, "laptop"), Bound(2, 2), declined, released), reopened.Table);
        Assert.Equal(released.Expiry, reopened.Table.FindByAddress(Ip(3))!.Expiry);
        Assert.Equal(Ip(1), reopened.Table.FindByClient(Bound(1, 1).ClientKey!.Value)!.Address);

        string first = File.ReadLines(_path).First();
        Assert.Equal(
            """{"address":"192.0.2.1","lease":{"address":"192.0.2.1","clientKey":"01005e00000001","hardwareAddress":"005e00000001","hostName":"laptop","state":"bound","expiry":"2026-11-25T03:05:06Z"}}""",
            first);
    }

    [Fact]
    public async Task RemovalLines_DeleteRecords_AndAClientMoveReplays()
    {
        await using (LeaseJournal journal = LeaseJournal.Open(_path))
        {
            await journal.CommitAsync([Put(Bound(1, 1)), Put(Bound(2, 2)), Put(Bound(3, 3))]);
            await journal.CommitAsync([new Dhcp4LeaseChange(Ip(2), null)]);
            await journal.CommitAsync([new Dhcp4LeaseChange(Ip(1), null), Put(Bound(4, 1))]); // client 1 moves to .4
            await journal.CommitAsync([new Dhcp4LeaseChange(Ip(7), null)]); // removing nothing is fine
        }

        Assert.Contains("""{"address":"192.0.2.2","lease":null}""", File.ReadAllLines(_path));
        using LeaseJournal reopened = LeaseJournal.Open(_path);
        AssertSameTable(TableOf(Bound(3, 3), Bound(4, 1)), reopened.Table);
    }

    [Fact]
    public async Task TornLastLine_IsIgnoredAndTruncatedBeforeTheNextAppend()
    {
        await using (LeaseJournal journal = LeaseJournal.Open(_path))
        {
            await journal.CommitAsync([Put(Bound(1, 1)), Put(Bound(2, 2))]);
        }

        long whole = new FileInfo(_path).Length;
        File.AppendAllText(_path, """{"address":"192.0.2.3","lease":{"addr""");

        await using (LeaseJournal journal = LeaseJournal.Open(_path))
        {
            AssertSameTable(TableOf(Bound(1, 1), Bound(2, 2)), journal.Table);
            Assert.Equal(whole, new FileInfo(_path).Length);
            await journal.CommitAsync([Put(Bound(3, 3))]);
        }

        // A damaged last line that did get its newline (say, zeros after a crash) is dropped too.
        File.AppendAllText(_path, "\0\0\0\0\n");
        using (LeaseJournal journal = LeaseJournal.Open(_path))
        {
            AssertSameTable(TableOf(Bound(1, 1), Bound(2, 2), Bound(3, 3)), journal.Table);
        }

        Assert.Equal(3, File.ReadAllLines(_path).Length);
    }

    [Fact]
    public async Task CorruptionBeforeTheLastLine_ThrowsNamingFileAndLine()
    {
        await using (LeaseJournal journal = LeaseJournal.Open(_path))
        {
            await journal.CommitAsync([Put(Bound(1, 1)), Put(Bound(2, 2)), Put(Bound(3, 3))]);
        }

        string[] lines = File.ReadAllLines(_path);
        lines[1] = lines[1].Replace("192.0.2.2", "192.0.2.999", StringComparison.Ordinal);
        File.WriteAllLines(_path, lines);

        LeaseJournalException e = Assert.Throws<LeaseJournalException>(() => LeaseJournal.Open(_path));
        Assert.Equal(_path, e.Path);
        Assert.Equal(2, e.Line);
        Assert.Contains(_path + ":2:", e.Message, StringComparison.Ordinal);

        lines[1] = """{"address":"192.0.2.2","lease":null,"extra":1}""";
        File.WriteAllLines(_path, lines);
        Assert.Equal(2, Assert.Throws<LeaseJournalException>(() => LeaseJournal.Open(_path)).Line);

        lines[1] = lines[0].Replace("\"bound\"", "\"offered-ish\"", StringComparison.Ordinal);
        File.WriteAllLines(_path, lines);
        Assert.Equal(2, Assert.Throws<LeaseJournalException>(() => LeaseJournal.Open(_path)).Line);
    }

    [Fact]
    public async Task ConcurrentCommits_AreGroupedIntoFewFsyncs_AndAllDurable()
    {
        const int Count = 200;
        long flushes;
        await using (LeaseJournal journal = LeaseJournal.Open(_path))
        {
            Task[] commits = Enumerable.Range(1, Count)
                .Select(i => Task.Run(() => journal.CommitAsync([Put(Bound(i, i))])))
                .ToArray();
            await Task.WhenAll(commits);
            flushes = journal.Flushes;
        }

        Assert.InRange(flushes, 1, Count / 4);
        using LeaseJournal reopened = LeaseJournal.Open(_path);
        Assert.Equal(Count, reopened.Table.All.Count);
        Assert.All(Enumerable.Range(1, Count), i => Assert.Equal(Bound(i, i), reopened.Table.FindByAddress(Ip(i))));
    }

    [Fact]
    public async Task Compaction_LeavesOnlyTheLiveLeases()
    {
        // Threshold 20, 5 live leases, one line per commit: the journal is rewritten to 5 lines at 21
        // lines, so after 21 + 16k commits it holds exactly the 5 live leases.
        const int Commits = 21 + (16 * 5);
        var expected = new MemoryLeaseTable();
        LeaseJournal journal = LeaseJournal.Open(_path, compactAfterLines: 20);
        for (int i = 0; i < Commits; i++)
        {
            Dhcp4Lease lease = Bound(1 + (i % 5), 1 + (i % 5)) with { Expiry = s_t0.AddSeconds(i) };
            expected.Upsert(lease);
            await journal.CommitAsync([Put(lease)]);
        }

        // Compaction runs after the commit that triggers it has completed: dispose to wait for it.
        await journal.DisposeAsync();
        Assert.Equal(6, journal.Compactions);
        Assert.Equal(5, File.ReadAllLines(_path).Length);
        Assert.False(File.Exists(_path + ".tmp"));

        // The reopened snapshot takes further appends.
        await using (LeaseJournal again = LeaseJournal.Open(_path, compactAfterLines: 20))
        {
            AssertSameTable(expected, again.Table);
            await again.CommitAsync([new Dhcp4LeaseChange(Ip(5), null)]);
            expected.Remove(Ip(5));
        }

        Assert.Equal(6, File.ReadAllLines(_path).Length);
        using LeaseJournal reopened = LeaseJournal.Open(_path, compactAfterLines: 20);
        AssertSameTable(expected, reopened.Table);
    }

    [Fact]
    public async Task CommitAfterDispose_ThrowsObjectDisposed_AndDisposeFinishesPendingCommits()
    {
        LeaseJournal journal = LeaseJournal.Open(_path);
        Task[] pending = Enumerable.Range(1, 20).Select(i => journal.CommitAsync([Put(Bound(i, i))])).ToArray();
        await journal.DisposeAsync();
        Assert.All(pending, t => Assert.True(t.IsCompletedSuccessfully));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => journal.CommitAsync([Put(Bound(30, 30))]));
        journal.Dispose(); // twice is fine

        using LeaseJournal reopened = LeaseJournal.Open(_path);
        Assert.Equal(20, reopened.Table.All.Count);
    }

    [Fact]
    public async Task CancelledToken_ThrowsBeforeQueueing()
    {
        await using LeaseJournal journal = LeaseJournal.Open(_path);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => journal.CommitAsync([Put(Bound(1, 1))], new CancellationToken(canceled: true)));
        Assert.Equal(0, journal.Flushes);
    }

    [Fact]
    public async Task WriteFailure_FaultsTheCallers_AndTheNextCommitWorks()
    {
        var failing = new FailSwitch();
        await using (LeaseJournal journal = LeaseJournal.Open(_path, 10_000, (path, mode) => new FlakyFileStream(path, mode, failing)))
        {
            await journal.CommitAsync([Put(Bound(1, 1))]);

            failing.On = true;
            Task[] doomed = [journal.CommitAsync([Put(Bound(2, 2))]), journal.CommitAsync([Put(Bound(3, 3)), Put(Bound(4, 4))])];
            foreach (Task t in doomed)
            {
                IOException e = await Assert.ThrowsAsync<IOException>(() => t);
                Assert.Contains(_path, e.Message, StringComparison.Ordinal);
            }

            failing.On = false;
            await journal.CommitAsync([Put(Bound(5, 5))]);
        }

        // The half-written batch was cut away before the good commit was appended.
        using LeaseJournal reopened = LeaseJournal.Open(_path);
        AssertSameTable(TableOf(Bound(1, 1), Bound(5, 5)), reopened.Table);
        Assert.Equal(2, File.ReadAllLines(_path).Length);
    }

    [Fact]
    public void DirectoryFsync_WorksThroughLibc_WhileDotNetRefusesToOpenADirectory()
    {
        Assert.True(IpoeRouter.Linux.Io.DirectorySync.Sync(_dir));
        Assert.False(IpoeRouter.Linux.Io.DirectorySync.Sync(Path.Combine(_dir, "missing")));
        Assert.ThrowsAny<UnauthorizedAccessException>(() => File.OpenHandle(_dir, FileMode.Open, FileAccess.Read).Dispose());
    }

    private sealed class FailSwitch
    {
        public volatile bool On;
    }

    /// <summary>Test seam: a journal file whose writes get half their bytes out and then fail while the switch is on.</summary>
    private sealed class FlakyFileStream(string path, FileMode mode, FailSwitch fail)
        : FileStream(path, mode, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0)
    {
        public override void Write(byte[] buffer, int offset, int count)
        {
            if (fail.On)
            {
                base.Write(buffer, offset, count / 2);
                throw new IOException("No space left on device (injected)");
            }

            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (fail.On)
            {
                throw new IOException("No space left on device (injected)");
            }

            base.Write(buffer);
        }
    }
}
