using System.Globalization;
using System.Runtime.InteropServices;
using IpoeRouter.Engine;
using IpoeRouter.Engine.Control;
using IpoeRouter.Engine.Documents;
using IpoeRouter.Engine.Runtime;
using IpoeRouter.Model;

namespace IpoeRouter.Agent;

/// <summary>
/// <c>ipoe-agent</c>: reads the document, runs the router (<see cref="RouterRuntime"/>) in the
/// foreground, serves the control socket, and stops cleanly on SIGTERM or SIGINT (final RAs; the
/// delegation is kept for the next start unless <c>--release</c>). Exit codes: 0 stopped, 1 the
/// document or the machine refused, 2 bad command line, 3 a port held by another program.
/// </summary>
internal static class Program
{
    private const string Usage = """
        usage: ipoe-agent [--document <path>] [--state-dir <dir>] [--control-socket <path>] [--release] [--ra-interval <seconds>]
          --document        the router document (default: $IPOE_DOCUMENT, else /etc/ipoe/router.yaml)
          --state-dir       where leases and DUIDs are kept (default: $IPOE_STATE_DIR, else /var/lib/ipoe)
          --control-socket  the JSON-RPC socket for Get-IpoeStatus (default: $IPOE_RUN_DIR/agent.sock, else /run/ipoe/agent.sock)
          --release         release the delegations on stop (default: keep them, so a restart keeps the prefix)
          --ra-interval     MaxRtrAdvInterval in seconds, 4-1800 (default 600)
        """;

    private static readonly object s_logGate = new();

    public static async Task<int> Main(string[] args)
    {
        string? document = null, stateDir = null, controlSocket = null;
        bool release = false;
        TimeSpan? raInterval = null;
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            try
            {
                switch (args[i])
                {
                    case "--document": document = Value(); break;
                    case "--state-dir": stateDir = Value(); break;
                    case "--control-socket": controlSocket = Value(); break;
                    case "--release": release = true; break;
                    case "--ra-interval":
                        int max = int.Parse(Value(), CultureInfo.InvariantCulture);
                        if (max is < 4 or > 1800)
                        {
                            throw new ArgumentException("--ra-interval must be 4 … 1800 seconds (RFC 4861 §6.2.1)");
                        }

                        raInterval = TimeSpan.FromSeconds(max);
                        break;
                    case "--help" or "-h":
                        Console.Out.WriteLine(Usage);
                        return 0;
                    default: throw new ArgumentException($"unknown argument {args[i]}");
                }
            }
            catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
            {
                Console.Error.WriteLine($"ipoe-agent: {e.Message}");
                Console.Error.WriteLine(Usage);
                return 2;
            }
        }

        var options = new RuntimeOptions(DocumentStore.ResolvePath(document), stateDir ?? RouterRuntime.StateDirectoryFromEnvironment())
        {
            Log = Log,
            ReleaseOnStop = release,
            RaMaxInterval = raInterval,
        };
        using var stop = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            Log($"agent: {context.Signal}: stopping");
            stop.Cancel();
        }

        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);

        var runtime = new RouterRuntime(options);
        string socketPath = controlSocket ?? ControlSocket.PathFromEnvironment();
        Log($"agent: pid {Environment.ProcessId}, document {options.DocumentPath}, state {options.StateDirectory}, control {socketPath}");
        Task control = Task.Run(() => ControlSocket.ServeAsync(socketPath, runtime.Status, Log, stop.Token));
        _ = control.ContinueWith(t => Log($"agent: the control socket {socketPath} failed, Get-IpoeStatus cannot reach this agent: {t.Exception?.GetBaseException().Message}"),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        int code;
        try
        {
            await runtime.RunAsync(stop.Token);
            code = 0;
        }
        catch (IpoeException e)
        {
            Log($"agent: {e.Message}");
            code = e.ErrorId == EngineErrorIds.PortInUse ? 3 : 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
        {
            Log($"agent: {e.Message}");
            code = 1;
        }
        catch (Exception e)
        {
            // Whatever it was, the agent ends cleanly: the control socket removed, the exit code telling.
            Log($"agent: stopped by an unexpected error: {e}");
            code = 1;
        }

        await stop.CancelAsync();
        try
        {
            await control;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException)
        {
            // already logged when it happened
        }

        Log($"agent: stopped ({code})");
        return code;
    }

    private static void Log(string line)
    {
        lock (s_logGate)
        {
            Console.Error.WriteLine($"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {line}");
        }
    }
}
