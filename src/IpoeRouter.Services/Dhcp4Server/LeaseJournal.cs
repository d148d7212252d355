using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace IpoeRouter.Services.Dhcp4Server;

/// <summary>
/// The durable lease store of one scope: an append-only journal, one JSON line per
/// <see cref="Dhcp4LeaseChange"/> (see <see cref="LeaseJournalFormat"/>), replayed at <see cref="Open(string, int)"/>
/// into <see cref="Table"/>. <see cref="CommitAsync"/> completes only once its lines are fsynced, so the
/// host sends an ACK only for a lease that is on disk. Commits that arrive while a write is in progress
/// are written together by the next write and fsync (group commit). When the journal holds more than
/// the compaction threshold and more than twice the live leases, it is rewritten as a snapshot
/// (temporary file, fsync, rename, directory fsync).
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Table"/> belongs to the scope's loop: the <see cref="ScopeServer"/> changes it itself and
/// hands the changes to <see cref="CommitAsync"/>; the journal never touches it after opening. The
/// writer keeps its own copy of what is on disk for snapshots. After a failed commit the table is
/// ahead of the disk by that commit's changes (the host drops the reply; a restart replays only what
/// was written).
/// </para>
/// <para>
/// Replay applies each line in order. A lease whose client holds another address replaces that
/// record (the later line wins), so a journal that missed a failed removal still replays.
/// </para>
/// </remarks>
public sealed partial class LeaseJournal : IDisposable, IAsyncDisposable
{
    /// <summary>The default compaction threshold, in lines.</summary>
    public const int DefaultCompactAfterLines = 10_000;

    private readonly string _path;
    private readonly int _compactAfterLines;
    private readonly Func<string, FileMode, FileStream> _openFile;
    private readonly MemoryLeaseTable _onDisk;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly MemoryStream _buffer = new();
    private readonly Task _writer;
    private FileStream? _stream;
    private long _length;
    private long _lines;
    private int _live;
    private long _flushes;
    private long _compactions;
    private int _disposed;

    private LeaseJournal(string path, int compactAfterLines, Func<string, FileMode, FileStream> openFile, MemoryLeaseTable table, MemoryLeaseTable onDisk, int live, long lines, long length, FileStream stream)
    {
        _path = path;
        _compactAfterLines = compactAfterLines;
        _openFile = openFile;
        Table = table;
        _onDisk = onDisk;
        _live = live;
        _lines = lines;
        _length = length;
        _stream = stream;
        _writer = Task.Run(RunAsync);
    }

    /// <summary>The leases read back from the journal, for the scope's <see cref="ScopeServer"/> (not thread-safe; the journal does not change it).</summary>
    public ILeaseTable Table { get; }

    /// <summary>The journal file.</summary>
    public string Path => _path;

    /// <summary>How many times the journal was fsynced after appending (one per group of commits), for tests and benchmarks.</summary>
    public long Flushes => Interlocked.Read(ref _flushes);

    /// <summary>How many times the journal was rewritten as a snapshot.</summary>
    public long Compactions => Interlocked.Read(ref _compactions);

    /// <summary>
    /// Reads the journal at <paramref name="path"/> (a missing file is an empty table; it and its directory are created)
    /// and starts its writer. A torn last line (a crash mid-append) is ignored and truncated away; a damaged line
    /// anywhere else throws <see cref="LeaseJournalException"/> naming the file and the line.
    /// </summary>
    /// <param name="path">The journal, for example <c>/var/lib/ipoe/dhcp4-lan.journal</c>.</param>
    /// <param name="compactAfterLines">Rewrite the journal as a snapshot once it holds more lines than this and more than twice the live leases.</param>
    public static LeaseJournal Open(string path, int compactAfterLines = DefaultCompactAfterLines) =>
        Open(path, compactAfterLines, DefaultOpenFile);

    /// <summary>
    /// <see cref="Open(string, int)"/> with the file opener as a test seam: <paramref name="openFile"/> opens the journal
    /// (<see cref="FileMode.OpenOrCreate"/>) and the snapshot's temporary file (<see cref="FileMode.Create"/>) for
    /// writing; tests hand in a stream that fails on demand.
    /// </summary>
    internal static LeaseJournal Open(string path, int compactAfterLines, Func<string, FileMode, FileStream> openFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(compactAfterLines);
        ArgumentNullException.ThrowIfNull(openFile);
        path = System.IO.Path.GetFullPath(path);
        string dir = System.IO.Path.GetDirectoryName(path)!;
        Storage.PrivateState.EnsureDirectory(dir); // the leases name the LAN's hosts: 0700, the journal 0600
        Storage.PrivateState.NarrowFile(path);

        bool existed = File.Exists(path);
        byte[] bytes = existed ? File.ReadAllBytes(path) : [];
        var table = new MemoryLeaseTable();
        var onDisk = new MemoryLeaseTable();
        int live = 0;
        long lines = 0;
        long good = 0; // bytes of whole, readable lines
        int start = 0;
        int number = 0;
        while (start < bytes.Length)
        {
            number++;
            int nl = Array.IndexOf(bytes, (byte)'\n', start);
            bool last = nl < 0 || nl == bytes.Length - 1;
            if (nl < 0)
            {
                break; // no newline: the append was torn (never acknowledged)
            }

            Dhcp4LeaseChange change;
            try
            {
                change = LeaseJournalFormat.ReadLine(bytes.AsSpan(start, nl - start));
            }
            catch (Exception e) when (e is JsonException or FormatException or ArgumentException)
            {
                if (last)
                {
                    break; // a torn last line (for example zeros after a crash): never acknowledged, dropped
                }

                throw new LeaseJournalException($"{path}:{number}: the lease journal is damaged: {e.Message}", path, number, e);
            }

            int ignored = 0;
            Apply(table, change, ref ignored);
            Apply(onDisk, change, ref live);
            lines++;
            start = nl + 1;
            good = start;
        }

        FileStream stream = openFile(path, FileMode.OpenOrCreate);
        try
        {
            if (stream.Length != good)
            {
                stream.SetLength(good);
                stream.Flush(flushToDisk: true);
            }

            stream.Seek(0, SeekOrigin.End);
            if (!existed)
            {
                Linux.Io.DirectorySync.Sync(dir);
            }
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        return new LeaseJournal(path, compactAfterLines, openFile, table, onDisk, live, lines, good, stream);
    }

    /// <summary>
    /// Appends <paramref name="changes"/> (in order) and completes once they are on disk. Faults when the
    /// write or fsync fails (the host must then drop the reply); the journal stays usable. Cancelling
    /// <paramref name="cancellationToken"/> stops the wait only: changes already queued are still written.
    /// Throws <see cref="ObjectDisposedException"/> once the journal is disposed.
    /// </summary>
    public Task CommitAsync(IReadOnlyList<Dhcp4LeaseChange> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        Dhcp4LeaseChange[] copy = [.. changes];
        foreach (Dhcp4LeaseChange c in copy)
        {
            ArgumentNullException.ThrowIfNull(c, nameof(changes));
            if (c.Lease is { } l && !l.Address.Equals(c.Address))
            {
                throw new ArgumentException($"A change for {c.Address} carries a lease for {l.Address}.", nameof(changes));
            }
        }

        if (copy.Length == 0)
        {
            return Task.CompletedTask;
        }

        var bytes = new MemoryStream();
        foreach (Dhcp4LeaseChange c in copy)
        {
            LeaseJournalFormat.WriteLine(bytes, c);
        }

        var pending = new Pending(copy, bytes.ToArray(), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(GetType().FullName);
        }

        return cancellationToken.CanBeCanceled ? pending.Done.Task.WaitAsync(cancellationToken) : pending.Done.Task;
    }

    /// <summary>Writes the commits already queued, stops the writer and closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _queue.Writer.TryComplete();
        }

        await _writer.ConfigureAwait(false);
        _stream?.Dispose();
        _stream = null;
    }

    /// <summary>Writes the commits already queued, stops the writer and closes the file.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static FileStream DefaultOpenFile(string path, FileMode mode) =>
        new(path, new FileStreamOptions
        {
            Mode = mode, Access = FileAccess.ReadWrite, Share = FileShare.Read, BufferSize = 0,
            UnixCreateMode = Storage.PrivateState.FileMode,
        });

    /// <summary>Applies one change; <paramref name="live"/> follows the number of records.</summary>
    private static void Apply(MemoryLeaseTable table, Dhcp4LeaseChange change, ref int live)
    {
        if (change.Lease is not { } lease)
        {
            if (table.FindByAddress(change.Address) is not null)
            {
                table.Remove(change.Address);
                live--;
            }

            return;
        }

        if (lease.ClientKey is { } key && table.FindByClient(key) is { } held && !held.Address.Equals(lease.Address))
        {
            table.Remove(held.Address);
            live--;
        }

        if (table.FindByAddress(lease.Address) is null)
        {
            live++;
        }

        table.Upsert(lease);
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (_queue.Reader.TryRead(out Pending? p))
            {
                batch.Add(p);
            }

            WriteBatch(batch);
        }
    }

    private void WriteBatch(List<Pending> batch)
    {
        try
        {
            FileStream stream = EnsureStream();
            _buffer.SetLength(0);
            foreach (Pending p in batch)
            {
                _buffer.Write(p.Bytes);
            }

            stream.Write(_buffer.GetBuffer(), 0, (int)_buffer.Length);
            stream.Flush(flushToDisk: true);
            Interlocked.Increment(ref _flushes);
            _length += _buffer.Length;
        }
        catch (Exception e)
        {
            // Whatever reached the file is cut away when the file is reopened for the next commit.
            DropStream();
            foreach (Pending p in batch)
            {
                p.Done.TrySetException(new IOException($"{_path}: cannot append to the lease journal: {e.Message}", e));
            }

            return;
        }

        foreach (Pending p in batch)
        {
            foreach (Dhcp4LeaseChange c in p.Changes)
            {
                Apply(_onDisk, c, ref _live);
            }

            _lines += p.Changes.Length;
        }

        foreach (Pending p in batch)
        {
            p.Done.TrySetResult();
        }

        if (_lines > _compactAfterLines && _lines > 2L * _live)
        {
            Compact();
        }
    }

    /// <summary>The open journal; after a failure, reopens it and cuts it back to the last fsynced length.</summary>
    private FileStream EnsureStream()
    {
        if (_stream is { } open)
        {
            return open;
        }

        FileStream stream = _openFile(_path, FileMode.OpenOrCreate);
        try
        {
            if (stream.Length < _length)
            {
                throw new IOException($"{_path} is shorter ({stream.Length} bytes) than what was committed ({_length} bytes).");
            }

            if (stream.Length > _length)
            {
                stream.SetLength(_length); // made durable by the fsync of the write that follows
            }

            stream.Seek(0, SeekOrigin.End);
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        _stream = stream;
        return stream;
    }

    private void DropStream()
    {
        try
        {
            _stream?.Dispose();
        }
        catch (IOException)
        {
            // the handle is gone either way
        }

        _stream = null;
    }

    private sealed record Pending(Dhcp4LeaseChange[] Changes, byte[] Bytes, TaskCompletionSource Done);
}
