using System.Net;
using System.Threading.Channels;
using IpoeRouter.Engine.Tunnels;
using IpoeRouter.Linux.Netlink;

namespace IpoeRouter.Agent.DsLite;

/// <summary>A tunnel as the monitor probes it.</summary>
/// <param name="Name">The tunnel.</param>
/// <param name="Declared">The document's probe target, or null for the default.</param>
/// <param name="Aftr">The AFTR's IPv6 address (the fallback target), or null when not known.</param>
/// <param name="Local">The WAN address it leaves from; null: no path yet (pending).</param>
internal sealed record ProbeSubject(string Name, IPAddress? Declared, IPAddress? Aftr, IPAddress? Local);

/// <summary>
/// Probes each tunnel's path on its own schedule (<see cref="TunnelHealth"/>) and logs when one goes
/// down or comes back. It never changes the router: a lost AFTR is reported while the LAN side stays
/// as it is and the probes go on. Wakes only when a probe is due or the tunnels' paths changed.
/// </summary>
internal sealed class TunnelMonitor(NetworkNamespace ns, TimeProvider time, TimeSpan upInterval, Action<string> log)
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);
    private readonly Dictionary<string, (TunnelHealth Health, ProbeSubject? Last)> _tunnels = new(StringComparer.Ordinal);
    private readonly Channel<bool> _poked = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly object _gate = new();

    /// <summary>A tunnel's health, or null when it has not been seen.</summary>
    public TunnelHealth? Health(string name)
    {
        lock (_gate)
        {
            return _tunnels.TryGetValue(name, out var t) ? t.Health : null;
        }
    }

    /// <summary>Look at the subjects again now (after a pass: a path may have changed).</summary>
    public void Poke() => _poked.Writer.TryWrite(true);

    /// <summary>Probes until <paramref name="stop"/>; <paramref name="subjects"/> gives the tunnels of the moment.</summary>
    public async Task RunAsync(Func<IReadOnlyList<ProbeSubject>> subjects, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            DateTimeOffset now = time.GetUtcNow();
            DateTimeOffset next = now + upInterval;
            foreach (ProbeSubject s in subjects())
            {
                TunnelHealth health;
                bool due;
                lock (_gate)
                {
                    (health, ProbeSubject? last) = _tunnels.TryGetValue(s.Name, out var t) ? t : (new TunnelHealth(upInterval), null);
                    if (last is not null && (!Equals(last.Local, s.Local) || !Equals(last.Aftr, s.Aftr)))
                    {
                        health.PathChanged(now);
                    }

                    _tunnels[s.Name] = (health, s);
                    due = health.NextAt <= now;
                }

                if (s.Local is null)
                {
                    lock (_gate)
                    {
                        health.NoPath(now);
                    }
                }
                else if (due)
                {
                    await ProbeAsync(s, health, stop).ConfigureAwait(false);
                }

                next = health.NextAt < next ? health.NextAt : next;
            }

            TimeSpan wait = next - time.GetUtcNow();
            using var waitStop = CancellationTokenSource.CreateLinkedTokenSource(stop);
            Task timer = Task.Delay(wait > TimeSpan.FromMilliseconds(50) ? wait : TimeSpan.FromMilliseconds(50), time, waitStop.Token);
            Task poked = _poked.Reader.ReadAsync(waitStop.Token).AsTask();
            await Task.WhenAny(timer, poked).ConfigureAwait(false);
            await waitStop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(timer, poked).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    private async Task ProbeAsync(ProbeSubject s, TunnelHealth health, CancellationToken stop)
    {
        IPAddress target;
        lock (_gate)
        {
            target = health.Target(s.Declared, s.Aftr)!;
        }

        IPAddress? source = target.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? null : s.Local;
        var (roundTrip, why) = await TunnelProber.PingAsync(ns, target, source, ProbeTimeout, stop).ConfigureAwait(false);
        DateTimeOffset now = time.GetUtcNow();
        lock (_gate)
        {
            TunnelHealthState before = health.State;
            bool changed = roundTrip is { } rtt ? health.Answered(target, rtt, now) : health.Failed(target, why!, now);
            if (changed && health.State == TunnelHealthState.Down)
            {
                log($"tunnel:{s.Name}: down: {why} ({TunnelHealth.FailuresForDown} probes in a row); the router keeps the LAN as it is and goes on probing every {health.RetryInterval.TotalSeconds:0} s");
            }
            else if (changed && health.State == TunnelHealthState.Up)
            {
                log($"tunnel:{s.Name}: up: {target} answers through it ({roundTrip!.Value.TotalMilliseconds:0.0} ms){(before == TunnelHealthState.Down ? " again" : "")}");
            }
        }
    }
}
