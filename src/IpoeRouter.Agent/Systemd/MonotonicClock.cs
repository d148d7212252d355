using System.Runtime.InteropServices;

namespace IpoeRouter.Agent.Systemd;

/// <summary>
/// <c>clock_gettime(CLOCK_MONOTONIC)</c>, the clock systemd's <c>MONOTONIC_USEC=</c> is read
/// against (the runtime's <see cref="System.Diagnostics.Stopwatch"/> does not promise which clock it uses).
/// </summary>
public static partial class MonotonicClock
{
    private const int ClockMonotonic = 1; // CLOCK_MONOTONIC, <linux/time.h>

    /// <summary>The time since boot (not counting suspend) in microseconds, as systemd's <c>now(CLOCK_MONOTONIC)</c>.</summary>
    public static long Microseconds()
    {
        if (clock_gettime(ClockMonotonic, out Timespec ts) != 0)
        {
            throw new InvalidOperationException($"clock_gettime(CLOCK_MONOTONIC) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return (ts.Seconds * 1_000_000) + (ts.Nanoseconds / 1_000);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;      // tv_sec (time_t: 64-bit on x86-64 and arm64)
        public long Nanoseconds;  // tv_nsec
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int clock_gettime(int clockId, out Timespec ts);
}
