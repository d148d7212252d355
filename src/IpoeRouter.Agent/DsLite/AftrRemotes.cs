using System.Net;
using System.Threading.Channels;
using IpoeRouter.Engine.Planning;
using IpoeRouter.Services.DsLite;

namespace IpoeRouter.Agent.DsLite;

/// <summary>
/// The AFTR names the tunnels bind to (<c>remote: { fqdn }</c>, or the AFTR-Name of the delegation's
/// DHCPv6 exchange for <c>{ discover: dhcpv6 }</c>), each resolved through the WAN's DNS servers on
/// its own schedule (<see cref="AftrNameSchedule"/>: at the TTL, with backoff after failures, at once
/// when the name or the servers change). A new address posts a cause, so the next pass re-points the
/// tunnel; a failure keeps the last good address. One task does every query.
/// </summary>
internal sealed class AftrRemotes(AftrNameResolver resolver, TimeProvider time, Action<string> log, Action<string> changed)
{
    private readonly Dictionary<string, Entry> _tunnels = new(StringComparer.Ordinal);
    private readonly Channel<bool> _poked = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly object _gate = new();

    /// <summary>
    /// The names wanted now, by tunnel (a null name: the AFTR-Name has not come yet, with why), and
    /// the WAN's DNS servers in the order to ask them. A change makes the affected names due at once.
    /// </summary>
    public void Update(IReadOnlyList<(string Tunnel, string? Name, string WhyNoName)> wanted, IReadOnlyList<IPAddress> servers)
    {
        bool poke = false;
        DateTimeOffset now = time.GetUtcNow();
        lock (_gate)
        {
            foreach (string gone in _tunnels.Keys.Where(t => !wanted.Any(w => w.Tunnel == t)).ToList())
            {
                _tunnels.Remove(gone);
            }

            foreach (var (tunnel, name, why) in wanted)
            {
                if (!_tunnels.TryGetValue(tunnel, out Entry? e))
                {
                    _tunnels[tunnel] = e = new Entry(new AftrNameSchedule());
                }

                e.WhyNoName = why;
                poke |= e.Schedule.SetName(name, now);
                poke |= e.Schedule.SetServers(servers, now);
            }
        }

        if (poke)
        {
            _poked.Writer.TryWrite(true);
        }
    }

    /// <summary>Each tunnel's AFTR as the planner takes it: the address (kept through failures) and how it was found, or why not.</summary>
    public IReadOnlyDictionary<string, ResolvedRemote> Facts()
    {
        lock (_gate)
        {
            return _tunnels.ToDictionary(t => t.Key, t => t.Value.Schedule.Name is null
                ? new ResolvedRemote(null, t.Value.WhyNoName)
                : new ResolvedRemote(t.Value.Schedule.Address, t.Value.Schedule.Servers.Count == 0 && t.Value.Schedule.Address is null
                    ? $"{t.Value.Schedule.Name}: no DNS server known on the WAN yet (the delegation's DHCPv6 DNS servers, then the RAs' RDNSS)"
                    : t.Value.Schedule.Detail), StringComparer.Ordinal);
        }
    }

    /// <summary>Resolves what is due until <paramref name="stop"/>, sleeping until the next name is due or the names or servers change.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            List<(string Tunnel, AftrNameQuery Query)> due = [];
            DateTimeOffset now = time.GetUtcNow();
            lock (_gate)
            {
                foreach (var (tunnel, e) in _tunnels)
                {
                    if (e.Schedule.TakeDue(now) is { } q)
                    {
                        due.Add((tunnel, q));
                    }
                }
            }

            foreach (var (tunnel, query) in due)
            {
                AftrAnswer answer = await resolver.ResolveAsync(query.Name, query.Servers, stop).ConfigureAwait(false);
                AftrNameOutcome outcome;
                lock (_gate)
                {
                    if (!_tunnels.TryGetValue(tunnel, out Entry? e))
                    {
                        continue;
                    }

                    outcome = e.Schedule.Complete(query, answer, time.GetUtcNow());
                }

                if (outcome == AftrNameOutcome.Changed)
                {
                    log($"tunnel:{tunnel}: AFTR {answer.Detail}");
                    changed($"AFTR of {tunnel}: {query.Name} is {answer.Address}");
                }
                else if (outcome == AftrNameOutcome.Failed)
                {
                    log($"tunnel:{tunnel}: {answer.Detail}");
                    changed($"AFTR of {tunnel}: {query.Name} did not resolve"); // the status and the pending reason say why
                }
            }

            DateTimeOffset? next;
            lock (_gate)
            {
                next = _tunnels.Values.Select(e => e.Schedule.NextAt).Where(n => n is not null).Min();
            }

            if (due.Count > 0 && next is { } soon && soon <= time.GetUtcNow())
            {
                continue;
            }

            using var waitStop = CancellationTokenSource.CreateLinkedTokenSource(stop);
            TimeSpan wait = next is { } at ? at - time.GetUtcNow() : Timeout.InfiniteTimeSpan;
            Task timer = wait == Timeout.InfiniteTimeSpan ? Task.Delay(Timeout.Infinite, waitStop.Token)
                : Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, time, waitStop.Token);
            Task poked = _poked.Reader.ReadAsync(waitStop.Token).AsTask();
            await Task.WhenAny(timer, poked).ConfigureAwait(false);
            await waitStop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(timer, poked).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    private sealed class Entry(AftrNameSchedule schedule)
    {
        public AftrNameSchedule Schedule { get; } = schedule;

        public string WhyNoName { get; set; } = string.Empty;
    }
}
