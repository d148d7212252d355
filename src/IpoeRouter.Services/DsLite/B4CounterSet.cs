using System.Runtime.InteropServices;
using IpoeRouter.Linux.Interop;

namespace IpoeRouter.Services.DsLite;

/// <summary>
/// The live counters behind <see cref="B4Counters"/>. Each field has one writer (the upstream or the
/// downstream thread), so increments need no interlocking; the two directions sit on separate cache
/// lines so the threads do not slow each other. Recording an error allocates only when the error
/// differs from the last one; a repeat only refreshes its time.
/// </summary>
internal sealed class B4CounterSet
{
    private Upstream _up;
    private Downstream _down;
    private ErrorNote? _lastError;
    private long _lastErrorTicks;

    /// <summary>The upstream thread's counters (TUN → AFTR).</summary>
    public ref Upstream Up => ref _up;

    /// <summary>The downstream thread's counters (AFTR → TUN).</summary>
    public ref Downstream Down => ref _down;

    /// <summary>Notes that <paramref name="operation"/> (a constant string) failed with <paramref name="errno"/> now.</summary>
    public void RecordError(string operation, int errno, TimeProvider time)
    {
        ErrorNote? last = Volatile.Read(ref _lastError);
        if (last is null || !ReferenceEquals(last.Operation, operation) || last.Errno != errno)
        {
            Volatile.Write(ref _lastError, new ErrorNote(operation, errno, new SystemCallException(operation, errno).Message));
        }

        Volatile.Write(ref _lastErrorTicks, time.GetUtcNow().UtcTicks);
    }

    /// <summary>Notes a failure that is not an errno (a thread that stopped on an unexpected exception).</summary>
    public void RecordFailure(string text, TimeProvider time)
    {
        Volatile.Write(ref _lastError, new ErrorNote(text, -1, text));
        Volatile.Write(ref _lastErrorTicks, time.GetUtcNow().UtcTicks);
    }

    /// <summary>Reads every counter once; <paramref name="tunReads"/> comes from the TUN reader, which counts its own.</summary>
    public B4Counters Snapshot(long tunReads = 0)
    {
        ErrorNote? error = Volatile.Read(ref _lastError);
        long ticks = Volatile.Read(ref _lastErrorTicks);
        return new B4Counters
        {
            PacketsToAftr = Volatile.Read(ref _up.Packets),
            BytesToAftr = Volatile.Read(ref _up.Bytes),
            DroppedNoPath = Volatile.Read(ref _up.NoPath),
            DroppedNotIpv4FromTun = Volatile.Read(ref _up.NotIpv4),
            DroppedTooBig = Volatile.Read(ref _up.TooBig) + Volatile.Read(ref _down.TooBig),
            DroppedSendError = Volatile.Read(ref _up.SendError),
            TunReads = tunReads,
            TunWrites = Volatile.Read(ref _down.TunWrites),
            PacketsFromAftr = Volatile.Read(ref _down.Packets),
            BytesFromAftr = Volatile.Read(ref _down.Bytes),
            DroppedNotIpv4FromAftr = Volatile.Read(ref _down.NotIpv4),
            DroppedWrongSource = Volatile.Read(ref _down.WrongSource),
            DroppedTunWriteError = Volatile.Read(ref _down.TunWriteError),
            LastError = error?.Text,
            LastErrorAt = error is null ? null : new DateTimeOffset(ticks, TimeSpan.Zero),
        };
    }

    /// <summary>Counters of the TUN → AFTR direction, padded to a cache line of their own.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 128)]
    internal struct Upstream
    {
        public long Packets;
        public long Bytes;
        public long NoPath;
        public long NotIpv4;
        public long TooBig;
        public long SendError;
    }

    /// <summary>Counters of the AFTR → TUN direction, padded to a cache line of their own.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 128)]
    internal struct Downstream
    {
        public long Packets;
        public long Bytes;
        public long NotIpv4;
        public long TooBig;
        public long WrongSource;
        public long TunWriteError;
        public long TunWrites;
    }

    private sealed record ErrorNote(string Operation, int Errno, string Text);
}
