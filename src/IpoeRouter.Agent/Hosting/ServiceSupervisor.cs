using IpoeRouter.Control;

namespace IpoeRouter.Agent.Hosting;

/// <summary>
/// Runs the embedded services and keeps their health for the status: a service that fails is
/// reported (status and log) and started again after 1, 2, 4 … 60 s, so a transient fault does not
/// leave it dead for good; one that then runs for a minute without failing starts from 1 s again.
/// </summary>
internal sealed class ServiceSupervisor(TimeProvider time, Action<string> log)
{
    private static readonly TimeSpan s_firstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromMinutes(1);
    private readonly Dictionary<string, ServiceStatus> _services = new(StringComparer.Ordinal);

    /// <summary>Every service's state, by name.</summary>
    public IReadOnlyList<ServiceStatus> Snapshot()
    {
        lock (_services)
        {
            return [.. _services.Values.OrderBy(s => s.Name, StringComparer.Ordinal)];
        }
    }

    /// <summary>Forgets every service (the services start again for a new document, perhaps other ones).</summary>
    public void Clear()
    {
        lock (_services)
        {
            _services.Clear();
        }
    }

    /// <summary>Records a service's state (also for one that could not be started at all).</summary>
    public void Set(string name, string state, string? error)
    {
        lock (_services)
        {
            _services[name] = new ServiceStatus(name, state, error);
        }
    }

    /// <summary>Runs <paramref name="run"/> until <paramref name="token"/> ends, restarting it with backoff when it fails.</summary>
    public Task Run(string name, Func<Task> run, CancellationToken token) => Task.Run(async () =>
    {
        TimeSpan backoff = s_firstBackoff;
        while (true)
        {
            Set(name, "Running", null);
            DateTimeOffset started = time.GetUtcNow();
            try
            {
                await run().ConfigureAwait(false);
                Set(name, "Stopped", null);
                return;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                Set(name, "Stopped", null);
                return;
            }
            catch (Exception e)
            {
                // One failed service must not take the others down; it shows in the status and the log.
                if (time.GetUtcNow() - started >= s_maxBackoff)
                {
                    backoff = s_firstBackoff; // it ran well for a while: this is a new fault, not the same one again
                }

                Set(name, "Failed", e.Message);
                log($"{name}: failed, restarting in {backoff.TotalSeconds:0} s: {e}");
            }

            try
            {
                await Task.Delay(backoff, time, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = backoff * 2 > s_maxBackoff ? s_maxBackoff : backoff * 2;
        }
    }, CancellationToken.None);
}
