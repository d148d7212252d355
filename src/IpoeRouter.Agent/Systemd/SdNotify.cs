using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace IpoeRouter.Agent.Systemd;

/// <summary>
/// The sd_notify(3) protocol, written by hand (no libsystemd): each state change is one datagram of
/// <c>KEY=VALUE</c> lines sent to the AF_UNIX SOCK_DGRAM socket named by <c>NOTIFY_SOCKET</c> — a
/// path, or <c>@name</c> for the abstract namespace. systemd learns the sender's pid from the
/// socket's credentials, so with <c>NotifyAccess=main</c> every datagram must come from this
/// process (any thread of it). Sending never throws: <see cref="Send"/> returns false and keeps
/// the failure in <see cref="LastError"/> for the caller to log.
/// </summary>
public sealed class SdNotify : IDisposable
{
    /// <summary>The variable naming the socket.</summary>
    public const string NotifySocketVariable = "NOTIFY_SOCKET";

    /// <summary>The variable giving the watchdog interval in µs.</summary>
    public const string WatchdogUsecVariable = "WATCHDOG_USEC";

    /// <summary>The variable naming the process the watchdog applies to.</summary>
    public const string WatchdogPidVariable = "WATCHDOG_PID";

    private readonly Socket _socket;
    private readonly UnixDomainSocketEndPoint _endPoint;
    private readonly Func<long> _monotonicMicroseconds;
    private readonly Lock _gate = new();

    private SdNotify(string address, UnixDomainSocketEndPoint endPoint, TimeSpan? watchdogInterval, Func<long> monotonicMicroseconds)
    {
        Address = address;
        _endPoint = endPoint;
        WatchdogInterval = watchdogInterval;
        _monotonicMicroseconds = monotonicMicroseconds;
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    /// <summary>The socket as <c>NOTIFY_SOCKET</c> names it (<c>/run/systemd/notify</c>, or <c>@name</c> for an abstract one).</summary>
    public string Address { get; }

    /// <summary>
    /// How often systemd expects <see cref="Watchdog"/> (<c>WATCHDOG_USEC</c>, the unit's
    /// <c>WatchdogSec=</c>), or null when no watchdog is set for this process: the variable is
    /// absent, zero or unreadable, or <c>WATCHDOG_PID</c> names another process. Send at half of it.
    /// </summary>
    public TimeSpan? WatchdogInterval { get; }

    /// <summary>Why the last <see cref="Send"/> failed, or null when it succeeded.</summary>
    public SocketException? LastError { get; private set; }

    /// <summary>
    /// The notifier systemd set up for this process (<c>NOTIFY_SOCKET</c>, <c>WATCHDOG_USEC</c>,
    /// <c>WATCHDOG_PID</c> of the process environment), or null when not started by systemd.
    /// </summary>
    public static SdNotify? FromEnvironment()
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (string name in (string[])[NotifySocketVariable, WatchdogUsecVariable, WatchdogPidVariable])
        {
            environment[name] = Environment.GetEnvironmentVariable(name);
        }

        return FromEnvironment(environment);
    }

    /// <summary>
    /// The notifier described by <paramref name="environment"/> (the same three variables, for
    /// tests and for callers that hold the environment already), or null when it names no socket
    /// this process can use: <c>NOTIFY_SOCKET</c> absent, empty, or neither an absolute path nor
    /// <c>@name</c>, or longer than a socket name can be (systemd ≥ 254's <c>vsock:</c> addresses
    /// are not spoken here).
    /// </summary>
    public static SdNotify? FromEnvironment(IReadOnlyDictionary<string, string?> environment) =>
        FromEnvironment(environment, Environment.ProcessId, MonotonicClock.Microseconds);

    /// <summary>As <see cref="FromEnvironment(IReadOnlyDictionary{string, string?})"/>, with the pid <c>WATCHDOG_PID</c> is compared with and the <c>CLOCK_MONOTONIC</c> source given.</summary>
    public static SdNotify? FromEnvironment(IReadOnlyDictionary<string, string?> environment, int processId, Func<long> monotonicMicroseconds)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(monotonicMicroseconds);
        string? address = environment.GetValueOrDefault(NotifySocketVariable);
        UnixDomainSocketEndPoint? endPoint;
        try
        {
            endPoint = address switch
            {
                { Length: > 1 } when address[0] == '@' => new UnixDomainSocketEndPoint("\0" + address[1..]),
                { Length: > 1 } when address[0] == '/' => new UnixDomainSocketEndPoint(address),
                _ => null,
            };
        }
        catch (ArgumentOutOfRangeException)
        {
            endPoint = null; // longer than sun_path holds: systemd never makes such a name
        }

        return endPoint is null ? null : new SdNotify(address!, endPoint, WatchdogFor(environment, processId), monotonicMicroseconds);
    }

    /// <summary>
    /// Sends <paramref name="state"/> (newline-separated <c>KEY=VALUE</c> assignments) as one
    /// datagram. Returns false when it could not be sent; <see cref="LastError"/> then says why.
    /// </summary>
    public bool Send(string state)
    {
        ArgumentNullException.ThrowIfNull(state);
        byte[] datagram = Encoding.UTF8.GetBytes(state);
        lock (_gate)
        {
            try
            {
                _socket.SendTo(datagram, SocketFlags.None, _endPoint);
                LastError = null;
                return true;
            }
            catch (SocketException e)
            {
                LastError = e;
                return false;
            }
            catch (ObjectDisposedException e)
            {
                LastError = new SocketException((int)SocketError.NotSocket, $"the notifier is disposed: {e.Message}");
                return false;
            }
        }
    }

    /// <summary>Start-up is finished (<c>READY=1</c>), with the status line systemctl shows (<c>STATUS=</c>).</summary>
    public bool Ready(string status) => Send($"READY=1\nSTATUS={OneLine(status)}");

    /// <summary>The status line <c>systemctl status</c> shows (<c>STATUS=</c>).</summary>
    public bool Status(string status) => Send($"STATUS={OneLine(status)}");

    /// <summary>Still alive (<c>WATCHDOG=1</c>): send at least every half <see cref="WatchdogInterval"/>.</summary>
    public bool Watchdog() => Send("WATCHDOG=1");

    /// <summary>
    /// Reloading the configuration (<c>RELOADING=1</c> with <c>MONOTONIC_USEC=</c>, the
    /// <c>CLOCK_MONOTONIC</c> time in µs that systemd ≥ 253 requires for <c>Type=notify-reload</c>;
    /// older ones ignore it). Send <see cref="Ready"/> when the reload is done.
    /// </summary>
    public bool Reloading() => Send(string.Create(CultureInfo.InvariantCulture, $"RELOADING=1\nMONOTONIC_USEC={_monotonicMicroseconds()}"));

    /// <summary>Shutting down (<c>STOPPING=1</c>).</summary>
    public bool Stopping() => Send("STOPPING=1");

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            _socket.Dispose();
        }
    }

    private static TimeSpan? WatchdogFor(IReadOnlyDictionary<string, string?> environment, int processId)
    {
        if (!ulong.TryParse(environment.GetValueOrDefault(WatchdogUsecVariable), NumberStyles.None, CultureInfo.InvariantCulture, out ulong usec)
            || usec == 0 || usec > (ulong)TimeSpan.MaxValue.Ticks / TimeSpan.TicksPerMicrosecond)
        {
            return null;
        }

        // sd_watchdog_enabled(3): a WATCHDOG_PID that is set must be ours (a child started by us inherits the variables).
        string? pid = environment.GetValueOrDefault(WatchdogPidVariable);
        if (!string.IsNullOrEmpty(pid) && (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out int owner) || owner != processId))
        {
            return null;
        }

        return TimeSpan.FromMicroseconds(usec);
    }

    /// <summary>A status is one line of the datagram: line breaks would start new assignments.</summary>
    private static string OneLine(string status) => status.ReplaceLineEndings(" ");
}
