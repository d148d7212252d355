using IpoeRouter.Protocols.Dns;

namespace IpoeRouter.Services.DnsForwarder;

/// <summary>
/// Upstream answers kept for their TTL, keyed by (lower-case name, type, class), at most
/// <c>maxEntries</c> with the least recently used dropped first. A hit is the stored answer with
/// every TTL lowered by the seconds it spent here (OPT is not stored: the caller adds its own).
/// Thread-safe.
/// </summary>
public sealed class DnsCache(int maxEntries, TimeProvider time)
{
    private readonly object _lock = new();
    private readonly Dictionary<DnsCacheKey, LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _recency = new();

    /// <summary>Entries held now (expired ones included until they are looked up or evicted).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Keeps <paramref name="response"/> to <paramref name="question"/> for <paramref name="lifetime"/> (nothing when zero).</summary>
    public void Store(DnsQuestion question, DnsMessage response, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(response);
        if (lifetime <= TimeSpan.Zero || maxEntries <= 0)
        {
            return;
        }

        var key = DnsCacheKey.Of(question);
        var stored = response with { Additionals = [.. response.Additionals.Where(r => r.Type != DnsType.Opt)] };
        DateTimeOffset now = time.GetUtcNow();
        lock (_lock)
        {
            if (_entries.Remove(key, out LinkedListNode<Entry>? old))
            {
                _recency.Remove(old);
            }

            while (_entries.Count >= maxEntries && _recency.Last is { } oldest)
            {
                _entries.Remove(oldest.Value.Key);
                _recency.RemoveLast();
            }

            _entries[key] = _recency.AddFirst(new Entry(key, stored, now, now + lifetime));
        }
    }

    /// <summary>The stored answer to <paramref name="question"/> with TTLs aged, or null (absent or expired).</summary>
    public DnsMessage? TryGet(DnsQuestion question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var key = DnsCacheKey.Of(question);
        DateTimeOffset now = time.GetUtcNow();
        Entry entry;
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out LinkedListNode<Entry>? node))
            {
                return null;
            }

            if (now >= node.Value.Expires)
            {
                _entries.Remove(key);
                _recency.Remove(node);
                return null;
            }

            _recency.Remove(node);
            _recency.AddFirst(node);
            entry = node.Value;
        }

        uint age = (uint)Math.Min(uint.MaxValue, (long)(now - entry.Stored).TotalSeconds);
        return entry.Response with
        {
            Answers = Aged(entry.Response.Answers, age),
            Authorities = Aged(entry.Response.Authorities, age),
            Additionals = Aged(entry.Response.Additionals, age),
        };
    }

    /// <summary>Drops everything (the upstreams changed).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _entries.Clear();
            _recency.Clear();
        }
    }

    private static DnsRecord[] Aged(IReadOnlyList<DnsRecord> records, uint age) =>
        [.. records.Select(r => r with { Ttl = r.Ttl > age ? r.Ttl - age : 0 })];

    private sealed record Entry(DnsCacheKey Key, DnsMessage Response, DateTimeOffset Stored, DateTimeOffset Expires);

    private readonly record struct DnsCacheKey(string Name, DnsType Type, DnsClass Class)
    {
        public static DnsCacheKey Of(DnsQuestion q) => new(q.Name.ToLowerKey(), q.Type, q.Class);
    }
}
