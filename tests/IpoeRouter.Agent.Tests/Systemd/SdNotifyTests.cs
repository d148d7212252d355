using System.Globalization;
using System.Net.Sockets;
using System.Text;
using IpoeRouter.Agent.Systemd;
using Xunit;

namespace IpoeRouter.Agent.Tests.Systemd;

/// <summary>
/// The sd_notify protocol against a real AF_UNIX datagram socket. PID 1 is not systemd on these
/// machines, so the test plays systemd's part: it binds the socket NOTIFY_SOCKET names (a path in a
/// temporary directory, or an abstract name) and asserts each datagram byte for byte.
/// </summary>
public sealed class SdNotifyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ipoe-notify-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void PathSocket_EachHelper_SendsExactlyItsAssignments()
    {
        string path = Path.Combine(_dir, "notify");
        using Socket systemd = Listen(new UnixDomainSocketEndPoint(path));
        using SdNotify notify = SdNotify.FromEnvironment(Env((SdNotify.NotifySocketVariable, path)))!;

        Assert.Equal(path, notify.Address);
        Assert.True(notify.Ready("converged: 12 items, 2 pending"));
        Assert.Equal("READY=1\nSTATUS=converged: 12 items, 2 pending", Receive(systemd));
        Assert.True(notify.Status("reconciling (netlink)"));
        Assert.Equal("STATUS=reconciling (netlink)", Receive(systemd));
        Assert.True(notify.Watchdog());
        Assert.Equal("WATCHDOG=1", Receive(systemd));
        Assert.True(notify.Stopping());
        Assert.Equal("STOPPING=1", Receive(systemd));
        Assert.True(notify.Send("EXTEND_TIMEOUT_USEC=5000000"));
        Assert.Equal("EXTEND_TIMEOUT_USEC=5000000", Receive(systemd));
        Assert.Null(notify.LastError);
    }

    [Fact]
    public void AbstractSocket_AtName_ReachesTheAbstractNamespace()
    {
        string name = $"ipoe-test-{Environment.ProcessId}-{Guid.NewGuid():N}";
        using Socket systemd = Listen(new UnixDomainSocketEndPoint("\0" + name));
        using SdNotify notify = SdNotify.FromEnvironment(Env((SdNotify.NotifySocketVariable, "@" + name)))!;

        Assert.True(notify.Ready("up"), notify.LastError?.Message);
        Assert.Equal("READY=1\nSTATUS=up", Receive(systemd));
    }

    [Fact]
    public void Reloading_CarriesTheMonotonicClockInMicroseconds()
    {
        string path = Path.Combine(_dir, "notify");
        using Socket systemd = Listen(new UnixDomainSocketEndPoint(path));
        using SdNotify notify = SdNotify.FromEnvironment(Env((SdNotify.NotifySocketVariable, path)))!;

        long before = MonotonicClock.Microseconds();
        Assert.True(notify.Reloading());
        long after = MonotonicClock.Microseconds();

        string[] lines = Receive(systemd).Split('\n');
        Assert.Equal("RELOADING=1", lines[0]);
        Assert.StartsWith("MONOTONIC_USEC=", lines[1]);
        Assert.Equal(2, lines.Length);
        long usec = long.Parse(lines[1]["MONOTONIC_USEC=".Length..], CultureInfo.InvariantCulture);
        Assert.InRange(usec, before, after);
        // The same clock as the kernel's CLOCK_MONOTONIC_COARSE behind Environment.TickCount64 (within its tick).
        Assert.InRange(usec / 1000 - Environment.TickCount64, -1000, 1000);
    }

    [Fact]
    public void Reloading_WithAGivenClock_SendsItsValue()
    {
        string path = Path.Combine(_dir, "notify");
        using Socket systemd = Listen(new UnixDomainSocketEndPoint(path));
        using SdNotify notify = SdNotify.FromEnvironment(Env((SdNotify.NotifySocketVariable, path)), Environment.ProcessId, () => 123_456_789)!;

        Assert.True(notify.Reloading());
        Assert.Equal("RELOADING=1\nMONOTONIC_USEC=123456789", Receive(systemd));
    }

    [Fact]
    public void Status_WithLineBreaks_StaysOneAssignment()
    {
        string path = Path.Combine(_dir, "notify");
        using Socket systemd = Listen(new UnixDomainSocketEndPoint(path));
        using SdNotify notify = SdNotify.FromEnvironment(Env((SdNotify.NotifySocketVariable, path)))!;

        Assert.True(notify.Status("failed:\nREADY=1"));
        Assert.Equal("STATUS=failed: READY=1", Receive(systemd));
    }

    [Fact]
    public void Send_NobodyListening_ReturnsFalseWithTheError_AndDoesNotThrow()
    {
        using SdNotify notify = SdNotify.FromEnvironment(Env((SdNotify.NotifySocketVariable, Path.Combine(_dir, "gone"))))!;

        Assert.False(notify.Watchdog());
        Assert.NotNull(notify.LastError);
        Assert.NotEqual(SocketError.Success, notify.LastError!.SocketErrorCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("@")]
    [InlineData("run/systemd/notify")]
    [InlineData("vsock:2:1234")]
    [InlineData("/run/systemd/a-name-longer-than-the-one-hundred-and-eight-bytes-that-sun-path-holds-in-struct-sockaddr-un.sock")]
    public void FromEnvironment_WithoutAUsableSocket_IsNull(string? value) =>
        Assert.Null(SdNotify.FromEnvironment(Env((SdNotify.NotifySocketVariable, value))));

    [Theory]
    [InlineData("30000000", null, 30_000)]
    [InlineData("30000000", "self", 30_000)]
    [InlineData("30000000", "", 30_000)]
    [InlineData("30000000", "1", null)]       // another process's watchdog (a child inherited the variables)
    [InlineData("30000000", "abc", null)]
    [InlineData("0", null, null)]
    [InlineData("-5", null, null)]
    [InlineData("soon", null, null)]
    [InlineData(null, null, null)]
    public void WatchdogInterval_FollowsWatchdogUsec_OnlyForOurPid(string? usec, string? pid, int? expectedMilliseconds)
    {
        string? watchdogPid = pid == "self" ? Environment.ProcessId.ToString(CultureInfo.InvariantCulture) : pid;
        using SdNotify notify = SdNotify.FromEnvironment(Env(
            (SdNotify.NotifySocketVariable, Path.Combine(_dir, "notify")),
            (SdNotify.WatchdogUsecVariable, usec),
            (SdNotify.WatchdogPidVariable, watchdogPid)))!;

        Assert.Equal(expectedMilliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : null, notify.WatchdogInterval);
    }

    private static Dictionary<string, string?> Env(params (string Name, string? Value)[] variables) =>
        variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);

    private static Socket Listen(UnixDomainSocketEndPoint endPoint)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified) { ReceiveTimeout = 5000 };
        socket.Bind(endPoint);
        return socket;
    }

    private static string Receive(Socket socket)
    {
        byte[] buffer = new byte[4096];
        int n = socket.Receive(buffer);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }
}
