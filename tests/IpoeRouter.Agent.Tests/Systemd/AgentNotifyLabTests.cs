using System.Net.Sockets;
using System.Text;
using IpoeRouter.Lab;
using Xunit;

namespace IpoeRouter.Agent.Tests.Systemd;

/// <summary>
/// The published agent speaking systemd's notify protocol, in the lab. PID 1 here is not systemd, so
/// the test plays systemd's part: it binds the AF_UNIX datagram socket NOTIFY_SOCKET names (with a
/// 2 s WATCHDOG_USEC) and reads what the agent sends — READY after the first pass with a STATUS line,
/// WATCHDOG from the reconcile loop, RELOADING then READY around SIGHUP, STOPPING on SIGTERM.
/// </summary>
public sealed class AgentNotifyLabTests
{
    [NetnsFact]
    public async Task TheAgent_SaysReadyAfterItsFirstPass_PingsTheWatchdogFromItsLoop_AndReportsReloadAndStop()
    {
        using var lab = new RouterLab();
        string path = Path.Combine(lab.Directory, "notify.sock");
        using var systemd = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        systemd.Bind(new UnixDomainSocketEndPoint(path));
        var heard = new List<(DateTime At, string Message)>();
        using var listening = new CancellationTokenSource();
        Task reader = Task.Run(async () =>
        {
            byte[] buffer = new byte[4096];
            while (!listening.IsCancellationRequested)
            {
                try
                {
                    int n = await systemd.ReceiveAsync(buffer, SocketFlags.None, listening.Token);
                    lock (heard)
                    {
                        heard.Add((DateTime.UtcNow, Encoding.UTF8.GetString(buffer, 0, n)));
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });

        lab.StartAgent(environment: new Dictionary<string, string> { ["NOTIFY_SOCKET"] = path, ["WATCHDOG_USEC"] = "2000000" });

        string ready = await WaitFor(heard, m => m.Contains("READY=1", StringComparison.Ordinal), TimeSpan.FromSeconds(40), lab);
        Assert.Matches(@"STATUS=\w+; pass \d+ for", ready);
        DateTime readyAt = DateTime.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        int pings;
        lock (heard)
        {
            pings = heard.Count(h => h.At >= readyAt && h.Message == "WATCHDOG=1");
        }

        Assert.True(pings >= 3, $"{pings} watchdog pings in 3.5 s with a 2 s watchdog");

        Assert.Equal(0, Tmds.Linux.LibC.kill(lab.AgentPid!.Value, Tmds.Linux.LibC.SIGHUP));
        string reloading = await WaitFor(heard, m => m.StartsWith("RELOADING=1", StringComparison.Ordinal), TimeSpan.FromSeconds(5), lab);
        Assert.Matches(@"MONOTONIC_USEC=\d+", reloading);
        int afterReload;
        lock (heard)
        {
            afterReload = heard.FindIndex(h => h.Message == reloading);
        }

        await WaitFor(heard, m => m.Contains("READY=1", StringComparison.Ordinal), TimeSpan.FromSeconds(5), lab, after: afterReload);

        Assert.Equal(0, lab.StopAgent());
        await WaitFor(heard, m => m == "STOPPING=1", TimeSpan.FromSeconds(5), lab);
        await listening.CancelAsync();
        await reader;
    }

    private static async Task<string> WaitFor(List<(DateTime At, string Message)> heard, Func<string, bool> match, TimeSpan timeout, RouterLab lab, int after = -1)
    {
        DateTime until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            lock (heard)
            {
                if (heard.Skip(after + 1).FirstOrDefault(h => match(h.Message)) is { Message: { } found })
                {
                    return found;
                }
            }

            await Task.Delay(50);
        }

        string all;
        lock (heard)
        {
            all = string.Join(" | ", heard.Select(h => h.Message.Replace('\n', ' ')));
        }

        throw new TimeoutException($"not heard within {timeout.TotalSeconds:0} s; heard: {all}\nagent:\n{lab.AgentLog()}");
    }
}
