using System.Net;
using IpoeRouter.Protocols.Dhcp6;

namespace IpoeRouter.Services.Dhcp6PdClient;

/// <summary>
/// A delegated prefix as the client holds it: the lifetimes the server gave and when they started.
/// A lifetime of <see cref="TimeSpan.MaxValue"/> is infinite (0xffffffff on the wire).
/// </summary>
public sealed record LeasedPrefix(IPAddress Prefix, byte Length, TimeSpan Preferred, TimeSpan Valid, DateTimeOffset Since)
{
    /// <summary>When the prefix stops being preferred (<see cref="DateTimeOffset.MaxValue"/> for infinite).</summary>
    public DateTimeOffset PreferredUntil => PdTime.Add(Since, Preferred);

    /// <summary>When the prefix is gone (<see cref="DateTimeOffset.MaxValue"/> for infinite).</summary>
    public DateTimeOffset ValidUntil => PdTime.Add(Since, Valid);

    /// <summary>Same prefix (address and length), lifetimes aside.</summary>
    public bool SamePrefix(LeasedPrefix other) => Length == other.Length && Prefix.Equals(other.Prefix);

    /// <inheritdoc/>
    public override string ToString() => $"{Prefix}/{Length}";
}

/// <summary>
/// The client's binding for its one IA_PD: the server that granted it, T1/T2 as the client applies
/// them (already defaulted when the server sent 0), when the binding was last refreshed, the prefixes,
/// and the configuration the server gave with it (DNS servers, AFTR name).
/// </summary>
public sealed record PdLease(Duid ServerId, TimeSpan T1, TimeSpan T2, DateTimeOffset Since, IReadOnlyList<LeasedPrefix> Prefixes, IReadOnlyList<IPAddress> DnsServers, string? AftrName)
{
    /// <summary>When Renew starts.</summary>
    public DateTimeOffset RenewAt => PdTime.Add(Since, T1);

    /// <summary>When Rebind starts.</summary>
    public DateTimeOffset RebindAt => PdTime.Add(Since, T2);

    /// <summary>When the last prefix's valid lifetime ends.</summary>
    public DateTimeOffset ValidUntil => Prefixes.Count == 0 ? Since : Prefixes.Max(p => p.ValidUntil);
}

/// <summary>Lifetime arithmetic where 0xffffffff seconds means forever.</summary>
internal static class PdTime
{
    public static TimeSpan FromWire(uint seconds) => seconds == uint.MaxValue ? TimeSpan.MaxValue : TimeSpan.FromSeconds(seconds);

    public static DateTimeOffset Add(DateTimeOffset start, TimeSpan span) =>
        span == TimeSpan.MaxValue || DateTimeOffset.MaxValue - start <= span ? DateTimeOffset.MaxValue : start + span;
}
