using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Services.Dhcp4Server;

/// <summary>
/// A sliding-window limit per client: a message is accepted when fewer than
/// <see cref="Dhcp4RateLimit.MaxMessages"/> were accepted from the same client in the last
/// <see cref="Dhcp4RateLimit.Window"/>. Dropped messages do not count towards the window, so a
/// client that keeps sending still gets its share through. Clients silent for a whole window are
/// forgotten, at most once per window, so a flood of made-up MACs does not grow the state forever.
/// </summary>
internal sealed class Dhcp4RateLimiter(Dhcp4RateLimit limit)
{
    private readonly Dictionary<ByteString, Queue<DateTimeOffset>> _accepted = [];
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

    /// <summary>Messages dropped so far.</summary>
    public long Dropped { get; private set; }

    /// <summary>True when a message from <paramref name="client"/> at <paramref name="now"/> may be handled.</summary>
    public bool TryAccept(ByteString client, DateTimeOffset now)
    {
        DateTimeOffset since = now - limit.Window;
        if (now - _lastSweep >= limit.Window)
        {
            _lastSweep = now;
            foreach (KeyValuePair<ByteString, Queue<DateTimeOffset>> idle in _accepted.Where(e => e.Value.Count == 0 || e.Value.Peek() <= since).ToList())
            {
                Forget(idle.Value, since);
                if (idle.Value.Count == 0)
                {
                    _accepted.Remove(idle.Key);
                }
            }
        }

        if (!_accepted.TryGetValue(client, out Queue<DateTimeOffset>? times))
        {
            times = new Queue<DateTimeOffset>();
            _accepted[client] = times;
        }

        Forget(times, since);
        if (times.Count >= limit.MaxMessages)
        {
            Dropped++;
            return false;
        }

        times.Enqueue(now);
        return true;
    }

    private static void Forget(Queue<DateTimeOffset> times, DateTimeOffset since)
    {
        while (times.Count > 0 && times.Peek() <= since)
        {
            times.Dequeue();
        }
    }
}
