using System.Net;

namespace IpoeRouter.Services.DsLite;

/// <summary>
/// When to resolve one tunnel's AFTR name and which address to use meanwhile: a small state
/// machine without I/O or a clock of its own (every input carries <c>now</c>). The owner feeds it
/// the name (<see cref="SetName"/>: option 64 renamed, the document edited), the WAN's ordered DNS
/// servers (<see cref="SetServers"/>), takes the question when it is due (<see cref="TakeDue"/>),
/// and hands back the <see cref="AftrAnswer"/> (<see cref="Complete"/>). Not thread-safe: one owner
/// serialises the calls.
/// <list type="bullet">
/// <item>A new name or a new server list makes it due at once; a query begun before that is stale
/// and its answer is ignored.</item>
/// <item>After an answer it is due again at the answer's TTL, clamped to
/// <see cref="MinRefresh"/> … <see cref="MaxRefresh"/>.</item>
/// <item>After a failure it retries after <see cref="FirstRetry"/>, doubling up to
/// <see cref="MaxRetry"/>; an answer or a change of name or servers starts the doubling over.</item>
/// <item>With no name or no server it is never due (there is nothing to ask, or nobody to ask);
/// while a query is out it is not due either.</item>
/// </list>
/// <para>
/// <b>The last good address is kept</b> through failed re-resolutions, however long they last
/// (past the TTL too: <see cref="IsStale"/> says when it is), and also when the server list
/// changes or empties. Only another answer replaces it, and only a new name drops it. The address
/// is nothing but the tunnel's far end: dropping it without a replacement would turn a DNS outage
/// into an IPv4 outage and could never bring anything back, while an AFTR that really moved fails
/// the same either way. This is RFC 8767's serve-stale without its cap, which exists for caches
/// that answer many clients, not for one router's one peer. A new name is different: the document
/// or the ISP now names another AFTR, and the old address is not its address.
/// </para>
/// </summary>
public sealed class AftrNameSchedule
{
    /// <summary>The soonest an answer is asked again, whatever its TTL (a TTL of 0 would ask on every pass).</summary>
    public static readonly TimeSpan MinRefresh = TimeSpan.FromSeconds(30);

    /// <summary>The latest an answer is asked again, whatever its TTL: a moved AFTR is noticed within a day.</summary>
    public static readonly TimeSpan MaxRefresh = TimeSpan.FromDays(1);

    /// <summary>The wait after the first failure; it doubles with each further failure.</summary>
    public static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait between failed tries.</summary>
    public static readonly TimeSpan MaxRetry = TimeSpan.FromMinutes(5);

    private DateTimeOffset? _dueAt;
    private int _generation;
    private bool _asking;
    private string? _detail;

    /// <summary>The name to resolve, or null when the tunnel has none (yet).</summary>
    public string? Name { get; private set; }

    /// <summary>The WAN's DNS servers, in the order they are asked.</summary>
    public IReadOnlyList<IPAddress> Servers { get; private set; } = [];

    /// <summary>The last answer that gave an address (kept through failures), or null.</summary>
    public AftrAnswer? Current { get; private set; }

    /// <summary>The AFTR address to use: that of <see cref="Current"/>, or null.</summary>
    public IPAddress? Address => Current?.Address;

    /// <summary>When <see cref="Current"/> was answered.</summary>
    public DateTimeOffset? AnsweredAt { get; private set; }

    /// <summary>When <see cref="Current"/>'s TTL runs out (it is kept after that; see <see cref="IsStale"/>).</summary>
    public DateTimeOffset? ExpiresAt => AnsweredAt + Current?.Ttl;

    /// <summary>Failed tries since the last answer or change.</summary>
    public int Failures { get; private set; }

    /// <summary>When the next query is due; null while none can be asked (no name, no server, one out).</summary>
    public DateTimeOffset? NextAt => Name is null || Servers.Count == 0 || _asking ? null : _dueAt;

    /// <summary>
    /// The state in words for the status and the log: the last answer ("gw.example AAAA 2001:db8:aa::1
    /// from 2001:db8::53, TTL 300 s"), the last failure and the address kept, or why nothing is asked.
    /// </summary>
    public string Detail =>
        Name is null ? "no AFTR name"
        : Servers.Count == 0 ? Keeping($"{Name} AAAA unresolved: no DNS server known on the WAN yet")
        : _detail ?? $"{Name} AAAA not asked yet";

    /// <summary>True when a query should be started now.</summary>
    public bool IsDue(DateTimeOffset now) => NextAt is { } at && now >= at;

    /// <summary>True when an address is held past its TTL (re-resolution keeps failing).</summary>
    public bool IsStale(DateTimeOffset now) => ExpiresAt is { } at && now >= at;

    /// <summary>
    /// Sets the name (null or blank: none). A different name (compared without case or a final dot)
    /// drops the address and makes the schedule due at once; returns true then.
    /// </summary>
    public bool SetName(string? name, DateTimeOffset now)
    {
        string? next = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        if (string.Equals(Key(next), Key(Name), StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        Name = next;
        Current = null;
        AnsweredAt = null;
        _detail = null;
        Restart(now);
        return true;
    }

    /// <summary>
    /// Sets the WAN's DNS servers in the order to ask them. A different list (order counts) makes the
    /// schedule due at once and keeps the address; returns true then.
    /// </summary>
    public bool SetServers(IReadOnlyList<IPAddress> servers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(servers);
        if (servers.SequenceEqual(Servers))
        {
            return false;
        }

        Servers = [.. servers];
        Restart(now);
        return true;
    }

    /// <summary>
    /// The question to ask now, or null when nothing is due. Until it is completed (or made stale by
    /// a change) the schedule is not due again.
    /// </summary>
    public AftrNameQuery? TakeDue(DateTimeOffset now)
    {
        if (!IsDue(now))
        {
            return null;
        }

        _asking = true;
        return new AftrNameQuery(Name!, Servers) { Generation = _generation };
    }

    /// <summary>
    /// Records the answer to <paramref name="query"/> and says what it changed. An answer to a query
    /// begun before the last change of name or servers changes nothing (<see cref="AftrNameOutcome.Stale"/>).
    /// </summary>
    public AftrNameOutcome Complete(AftrNameQuery query, AftrAnswer answer, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(answer);
        if (query.Generation != _generation || !_asking)
        {
            return AftrNameOutcome.Stale;
        }

        _asking = false;
        if (!answer.Resolved)
        {
            Failures++;
            _dueAt = now + Backoff(Failures);
            _detail = Keeping(answer.Detail);
            return AftrNameOutcome.Failed;
        }

        IPAddress? before = Address;
        Current = answer;
        AnsweredAt = now;
        Failures = 0;
        _dueAt = now + Refresh(answer.Ttl);
        _detail = answer.Detail;
        return answer.Address.Equals(before) ? AftrNameOutcome.Confirmed : AftrNameOutcome.Changed;
    }

    /// <summary>The wait before re-asking an answer with <paramref name="ttl"/>.</summary>
    public static TimeSpan Refresh(TimeSpan ttl) => ttl < MinRefresh ? MinRefresh : ttl > MaxRefresh ? MaxRefresh : ttl;

    /// <summary>The wait after the <paramref name="failures"/>th failure in a row: 2 s, 4 s, 8 s, … at most 5 min.</summary>
    public static TimeSpan Backoff(int failures)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);
        return failures > 16 ? MaxRetry : TimeSpan.FromTicks(Math.Min(FirstRetry.Ticks << (failures - 1), MaxRetry.Ticks));
    }

    private void Restart(DateTimeOffset now)
    {
        _generation++;
        _asking = false;
        Failures = 0;
        _dueAt = now;
    }

    private string Keeping(string failure) =>
        Current is null ? failure : $"{failure}; keeping {Address} answered {AnsweredAt:u}";

    private static string? Key(string? name) => name?.TrimEnd('.');
}
