using System.Net;
using IpoeRouter.Protocols.Dhcp6;

namespace IpoeRouter.Services.Dhcp6PdClient;

/// <summary>Where the PD client is in RFC 8415's exchanges.</summary>
public enum PdState
{
    /// <summary>Not started.</summary>
    Idle,

    /// <summary>Sending Solicit, collecting Advertises.</summary>
    Soliciting,

    /// <summary>Sending Request to the chosen server.</summary>
    Requesting,

    /// <summary>Holding a binding, waiting for T1.</summary>
    Bound,

    /// <summary>Between T1 and T2: Renew to the server that granted the binding.</summary>
    Renewing,

    /// <summary>After T2 (or after a restart): Rebind to any server, until the prefixes expire.</summary>
    Rebinding,

    /// <summary>Graceful stop: Release sent, waiting for the Reply.</summary>
    Releasing,

    /// <summary>Stopped.</summary>
    Stopped,
}

/// <summary>What the PD client asks its host to do.</summary>
public abstract record PdAction;

/// <summary>Send this message to All_DHCP_Relay_Agents_and_Servers (ff02::1:2) port 547 on the WAN.</summary>
public sealed record PdSend(Dhcp6Message Message) : PdAction;

/// <summary>
/// The binding changed: the new lease (null: no prefix any more) and the prefixes that stopped
/// being delegated in this change (withdrawn with lifetime 0, replaced, or expired), for the LAN to
/// deprecate (RFC 9096). The host persists the lease and re-plans.
/// </summary>
public sealed record PdLeaseChanged(PdLease? Lease, IReadOnlyList<LeasedPrefix> Withdrawn) : PdAction;

/// <summary>The client's fixed settings.</summary>
/// <param name="ClientId">Our DUID (DUID-LL of the WAN's MAC by default: stable across reinstalls).</param>
/// <param name="Iaid">The IA_PD's identifier.</param>
/// <param name="PrefixLengthHint">A length to ask for when nothing better is known (0: no hint).</param>
public sealed record PdClientConfig(Duid ClientId, uint Iaid, byte PrefixLengthHint)
{
    /// <summary>
    /// SOL_MAX_DELAY (RFC 8415 §18.2.1): the first Solicit after a start waits a random time up to this,
    /// so routers powered on together after an outage do not all solicit at once. Zero sends at once.
    /// </summary>
    public TimeSpan FirstSolicitMaxDelay { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// The DHCPv6 prefix-delegation client of RFC 8415 as a state machine without I/O: the host feeds it
/// received messages and the clock (<see cref="Receive"/>, <see cref="Tick"/> at <see cref="NextWake"/>)
/// and carries out the actions it returns. Solicit → Advertise → Request → Reply; Renew at T1 to the
/// granting server, Rebind at T2 to any, expiry drops the prefixes and solicits again. A restart with a
/// lease still valid starts by Rebinding it (some home gateways ignore a fresh Solicit from a client
/// they hold a binding for) and solicits, with the old prefix as a hint, only when that fails.
/// NoBinding or NoPrefixAvail for the IA sends the client back to Solicit. Randomness is injected.
/// </summary>
public sealed class PdClient(PdClientConfig config, Func<double> random, Func<int> newTransactionId)
{
    private static readonly ushort[] Requested = [Dhcp6OptionCode.DnsServers, Dhcp6OptionCode.DomainList, Dhcp6OptionCode.AftrName, Dhcp6OptionCode.SolMaxRt];

    private readonly List<Dhcp6Message> _advertises = [];
    private Retransmission? _retransmission;
    private DateTimeOffset _exchangeStart;
    private DateTimeOffset? _timeout;
    private int _xid;
    private bool _firstTimeoutPassed;
    private IReadOnlyList<LeasedPrefix> _hints = [];
    private Dhcp6MessageType _lastType;
    private List<Dhcp6Option> _lastOptions = [];
    private bool _deferred;
    private int _refusals;
    private TimeSpan _solMaxRt = Dhcp6Timers.Solicit.MaxTimeout;

    /// <summary>The current state.</summary>
    public PdState State { get; private set; } = PdState.Idle;

    /// <summary>The binding held, or null.</summary>
    public PdLease? Lease { get; private set; }

    /// <summary>When <see cref="Tick"/> must next be called (a retransmission, T1, T2 or an expiry), or null.</summary>
    public DateTimeOffset? NextWake
    {
        get
        {
            DateTimeOffset? wake = _timeout;
            if (Lease is { } lease)
            {
                wake = Min(wake, lease.Prefixes.Min(p => p.ValidUntil));
                if (State == PdState.Bound)
                {
                    wake = Min(wake, lease.RenewAt);
                }
                else if (State == PdState.Renewing)
                {
                    wake = Min(wake, lease.RebindAt);
                }
            }

            return wake == DateTimeOffset.MaxValue ? null : wake;
        }
    }

    /// <summary>Starts the client; <paramref name="persisted"/> is the lease saved before a restart, if any.</summary>
    public IReadOnlyList<PdAction> Start(DateTimeOffset now, PdLease? persisted)
    {
        if (State != PdState.Idle)
        {
            throw new InvalidOperationException("the PD client has already been started");
        }

        var actions = new List<PdAction>();
        if (persisted is not null)
        {
            var alive = persisted.Prefixes.Where(p => p.ValidUntil > now).ToList();
            if (alive.Count > 0)
            {
                // Keep using the prefix at once (the LAN keeps its /64 across a restart) and confirm it by Rebind.
                Lease = persisted with { Prefixes = alive };
                actions.Add(new PdLeaseChanged(Lease, []));
                BeginRebind(now, actions);
                return actions;
            }

            // Expired while we were down: say so (the host removes what it made from it), then solicit
            // with the old prefixes as hints.
            _hints = persisted.Prefixes;
            if (persisted.Prefixes.Count > 0)
            {
                actions.Add(new PdLeaseChanged(null, persisted.Prefixes));
            }
        }

        BeginSolicit(now, actions, delay: random() * config.FirstSolicitMaxDelay);
        return actions;
    }

    /// <summary>Handles a message received on the WAN's DHCPv6 client port.</summary>
    public IReadOnlyList<PdAction> Receive(DateTimeOffset now, Dhcp6Message message)
    {
        var actions = new List<PdAction>();
        if (_deferred)
        {
            return actions; // the Solicit with this xid has not gone out yet: nothing can be an answer to it
        }

        if (message.TransactionId != _xid || message.Find<ClientIdOption>()?.Duid != config.ClientId || message.Find<ServerIdOption>() is null)
        {
            return actions; // not an answer to us (RFC 8415 §16.10, §16.11)
        }

        switch (State, message.Type)
        {
            case (PdState.Soliciting, Dhcp6MessageType.Advertise):
                OnAdvertise(now, message, actions);
                break;
            case (PdState.Requesting or PdState.Renewing or PdState.Rebinding, Dhcp6MessageType.Reply):
                OnReply(now, message, actions);
                break;
            case (PdState.Releasing, Dhcp6MessageType.Reply):
                Finish();
                break;
        }

        return actions;
    }

    /// <summary>Acts on what is due at <paramref name="now"/>: expiries, T1, T2, retransmissions.</summary>
    public IReadOnlyList<PdAction> Tick(DateTimeOffset now)
    {
        var actions = new List<PdAction>();
        if (Lease is { } lease && lease.Prefixes.Any(p => p.ValidUntil <= now))
        {
            var expired = lease.Prefixes.Where(p => p.ValidUntil <= now).ToList();
            var left = lease.Prefixes.Where(p => p.ValidUntil > now).ToList();
            Lease = left.Count == 0 ? null : lease with { Prefixes = left };
            actions.Add(new PdLeaseChanged(Lease, expired));
            if (Lease is null && State is PdState.Bound or PdState.Renewing or PdState.Rebinding)
            {
                _hints = expired;
                BeginSolicit(now, actions);
                return actions;
            }
        }

        if (State == PdState.Bound && Lease is { } bound && now >= bound.RenewAt)
        {
            if (now >= bound.RebindAt)
            {
                BeginRebind(now, actions); // T1 = T2, or woken late: a Renew would have no time left
            }
            else
            {
                BeginRenew(now, actions);
            }

            return actions;
        }

        if (State == PdState.Renewing && Lease is { } renewing && now >= renewing.RebindAt)
        {
            BeginRebind(now, actions);
            return actions;
        }

        if (_timeout is { } due && now >= due)
        {
            OnTimeout(now, actions);
        }

        return actions;
    }

    /// <summary>Graceful stop: releases the binding (when one is held) and reports the lease gone.</summary>
    public IReadOnlyList<PdAction> Stop(DateTimeOffset now)
    {
        var actions = new List<PdAction>();
        if (Lease is { } lease && State is PdState.Bound or PdState.Renewing or PdState.Rebinding)
        {
            Lease = null;
            actions.Add(new PdLeaseChanged(null, lease.Prefixes));
            State = PdState.Releasing;
            Begin(now, Dhcp6Timers.Release);
            var options = new List<Dhcp6Option> { new ServerIdOption(lease.ServerId), IaPd(lease.Prefixes) };
            Transmit(now, Dhcp6MessageType.Release, options, actions);
            return actions;
        }

        if (Lease is { } orphan)
        {
            // Held while soliciting again (after NoBinding): the server has disowned it; stop announcing it.
            Lease = null;
            actions.Add(new PdLeaseChanged(null, orphan.Prefixes));
        }

        Finish();
        return actions;
    }

    private void OnAdvertise(DateTimeOffset now, Dhcp6Message advertise, List<PdAction> actions)
    {
        TakeSolMaxRt(advertise); // also from an Advertise that offers nothing (RFC 8415 §18.2.9)
        if (advertise.Find<StatusCodeOption>()?.Status is { } top && top != Dhcp6Status.Success)
        {
            return;
        }

        IaPdOption? ia = OurIa(advertise);
        if (ia is null || ia.Status is { Status: not Dhcp6Status.Success } || !ia.Prefixes.Any(p => p.ValidLifetime > 0))
        {
            return; // NoPrefixAvail, or nothing usable: keep soliciting (RFC 8415 §18.2.9)
        }

        _advertises.Add(advertise);
        if (advertise.Find<PreferenceOption>()?.Value == 255 || _firstTimeoutPassed)
        {
            BeginRequest(now, actions);
        }
    }

    private void OnReply(DateTimeOffset now, Dhcp6Message reply, List<PdAction> actions)
    {
        TakeSolMaxRt(reply);
        if (reply.Find<StatusCodeOption>()?.Status is Dhcp6Status.UnspecFail or Dhcp6Status.UseMulticast)
        {
            return; // keep retransmitting (RFC 8415 §18.2.10: the server could not serve this one)
        }

        IaPdOption? ia = OurIa(reply);
        if (ia is null)
        {
            return;
        }

        if (ia.Status?.Status is Dhcp6Status.NoBinding or Dhcp6Status.NoPrefixAvail)
        {
            // The server no longer holds (or has none for) us: start over, asking for what we had. A
            // refused Request backs off before soliciting again, so a server that advertises and then
            // refuses is not asked every few seconds (RFC 8415 §14.1).
            _hints = Lease?.Prefixes ?? _hints;
            BeginSolicit(now, actions, refused: State == PdState.Requesting);
            return;
        }

        if (ia.T1 > ia.T2 && ia.T2 > 0)
        {
            return; // RFC 8415 §21.21: T1 > T2 makes the IA invalid
        }

        var granted = new List<LeasedPrefix>();
        var dropped = new List<LeasedPrefix>();
        foreach (IaPrefixOption p in ia.Prefixes)
        {
            if (p.PreferredLifetime > p.ValidLifetime)
            {
                continue; // RFC 8415 §21.22: discard
            }

            var leased = new LeasedPrefix(p.Prefix, p.PrefixLength, PdTime.FromWire(p.PreferredLifetime), PdTime.FromWire(p.ValidLifetime), now);
            (p.ValidLifetime == 0 ? dropped : granted).Add(leased);
        }

        // A fresh binding (after Solicit) replaces what was held; Renew/Rebind updates it (§18.2.10.1):
        // prefixes in the reply are added or refreshed, those with valid 0 removed, others left as they are.
        IEnumerable<LeasedPrefix> kept = State == PdState.Requesting ? [] : (Lease?.Prefixes ?? []).Where(old => !granted.Any(g => g.SamePrefix(old)) && !dropped.Any(d => d.SamePrefix(old)));
        var prefixes = granted.Concat(kept).ToList();
        var withdrawn = (Lease?.Prefixes ?? []).Where(old => !prefixes.Any(n => n.SamePrefix(old))).ToList();
        if (prefixes.Count == 0)
        {
            _hints = withdrawn;
            Lease = null;
            actions.Add(new PdLeaseChanged(null, withdrawn));
            BeginSolicit(now, actions, refused: State == PdState.Requesting);
            return;
        }

        (TimeSpan t1, TimeSpan t2) = Timers(ia, prefixes);
        Lease = new PdLease(
            reply.Find<ServerIdOption>()!.Duid,
            t1,
            t2,
            now,
            prefixes,
            reply.Find<DnsServersOption>()?.Servers ?? Lease?.DnsServers ?? [],
            reply.Find<AftrNameOption>()?.Fqdn ?? Lease?.AftrName);
        actions.Add(new PdLeaseChanged(Lease, withdrawn));
        State = PdState.Bound;
        _refusals = 0;
        _timeout = null;
        _retransmission = null;
    }

    /// <summary>A server's SOL_MAX_RT (RFC 8415 §21.24) replaces ours when it is within 60 … 86400 s.</summary>
    private void TakeSolMaxRt(Dhcp6Message message)
    {
        if (message.Find<SolMaxRtOption>() is { Seconds: >= 60 and <= 86400 } option)
        {
            _solMaxRt = TimeSpan.FromSeconds(option.Seconds);
            if (State == PdState.Soliciting && _retransmission is { } r)
            {
                r.Parameters = r.Parameters with { MaxTimeout = _solMaxRt }; // the Solicits still going out follow it too
            }
        }
    }

    private void OnTimeout(DateTimeOffset now, List<PdAction> actions)
    {
        if (State == PdState.Soliciting && _deferred)
        {
            _deferred = false; // the delayed (first, or backed-off) Solicit goes out now; its first timeout starts here
            _exchangeStart = now;
            Retransmit(now, actions);
            return;
        }

        _firstTimeoutPassed = true;
        switch (State)
        {
            case PdState.Soliciting when _advertises.Count > 0:
                BeginRequest(now, actions);
                return;
            case PdState.Soliciting or PdState.Requesting or PdState.Renewing or PdState.Rebinding or PdState.Releasing:
                if (!Retransmit(now, actions))
                {
                    Exhausted(now, actions);
                }

                return;
        }
    }

    private void Exhausted(DateTimeOffset now, List<PdAction> actions)
    {
        switch (State)
        {
            case PdState.Requesting:
                BeginSolicit(now, actions); // REQ_MAX_RC reached: choose again
                break;
            case PdState.Renewing:
                BeginRebind(now, actions); // MRD = T2 reached
                break;
            case PdState.Rebinding:
                _timeout = null; // MRD = end of the valid lifetimes: the expiry in Tick takes over
                break;
            case PdState.Releasing:
                Finish();
                break;
        }
    }

    private void BeginSolicit(DateTimeOffset now, List<PdAction> actions, bool refused = false, TimeSpan delay = default)
    {
        State = PdState.Soliciting;
        _advertises.Clear();
        _firstTimeoutPassed = false;
        Begin(now, Dhcp6Timers.Solicit with { MaxTimeout = _solMaxRt });
        IReadOnlyList<LeasedPrefix> hints = _hints.Count > 0
            ? _hints
            : config.PrefixLengthHint > 0 ? [new LeasedPrefix(IPAddress.IPv6Any, config.PrefixLengthHint, TimeSpan.Zero, TimeSpan.Zero, now)] : [];
        List<Dhcp6Option> options = [IaPd(hints), new OroOption(Requested)];
        if (!refused && delay <= TimeSpan.Zero)
        {
            Transmit(now, Dhcp6MessageType.Solicit, options, actions);
            return;
        }

        _lastType = Dhcp6MessageType.Solicit;
        _lastOptions = options;
        _deferred = true;
        if (!refused)
        {
            _timeout = now + delay;
            return;
        }

        // 2, 4, 8 … s after consecutive refusals, at most SOL_MAX_RT, ±10 %; reset by a binding.
        _refusals++;
        double seconds = Math.Min(Dhcp6Timers.Solicit.InitialTimeout.TotalSeconds * Math.Pow(2, _refusals), _solMaxRt.TotalSeconds);
        _timeout = now + TimeSpan.FromSeconds(seconds * (1 + ((random() * 0.2) - 0.1)));
    }

    private void BeginRequest(DateTimeOffset now, List<PdAction> actions)
    {
        // The highest preference wins; among equals, the first received.
        Dhcp6Message chosen = _advertises.OrderByDescending(a => a.Find<PreferenceOption>()?.Value ?? 0).First();
        State = PdState.Requesting;
        Begin(now, Dhcp6Timers.Request);
        var offered = OurIa(chosen)!.Prefixes.Where(p => p.ValidLifetime > 0)
            .Select(p => new LeasedPrefix(p.Prefix, p.PrefixLength, TimeSpan.Zero, TimeSpan.Zero, now)).ToList();
        Transmit(now, Dhcp6MessageType.Request, [new ServerIdOption(chosen.Find<ServerIdOption>()!.Duid), IaPd(offered), new OroOption(Requested)], actions);
    }

    private void BeginRenew(DateTimeOffset now, List<PdAction> actions)
    {
        PdLease lease = Lease!;
        State = PdState.Renewing;
        Begin(now, Dhcp6Timers.Renew with { MaxDuration = lease.RebindAt - now });
        Transmit(now, Dhcp6MessageType.Renew, [new ServerIdOption(lease.ServerId), IaPd(lease.Prefixes), new OroOption(Requested)], actions);
    }

    private void BeginRebind(DateTimeOffset now, List<PdAction> actions)
    {
        PdLease lease = Lease!;
        State = PdState.Rebinding;
        DateTimeOffset end = lease.ValidUntil;
        Begin(now, Dhcp6Timers.Rebind with { MaxDuration = end == DateTimeOffset.MaxValue ? TimeSpan.Zero : end - now });
        Transmit(now, Dhcp6MessageType.Rebind, [IaPd(lease.Prefixes), new OroOption(Requested)], actions);
    }

    private void Begin(DateTimeOffset now, RetransmissionParameters parameters)
    {
        _retransmission = new Retransmission(parameters, random);
        _exchangeStart = now;
        _xid = newTransactionId() & 0xFFFFFF;
        _deferred = false;
    }

    private void Transmit(DateTimeOffset now, Dhcp6MessageType type, List<Dhcp6Option> options, List<PdAction> actions)
    {
        _lastType = type;
        _lastOptions = options;
        Retransmit(now, actions);
    }

    private bool Retransmit(DateTimeOffset now, List<PdAction> actions)
    {
        TimeSpan? wait = _retransmission!.Next();
        if (wait is null)
        {
            _timeout = null;
            return false;
        }

        double hundredths = (now - _exchangeStart).TotalMilliseconds / 10;
        var options = new List<Dhcp6Option>
        {
            new ClientIdOption(config.ClientId),
            new ElapsedTimeOption((ushort)Math.Min(hundredths, ushort.MaxValue)),
        };
        options.AddRange(_lastOptions);
        actions.Add(new PdSend(new Dhcp6Message(_lastType, _xid, options)));
        _timeout = now + wait.Value;
        return true;
    }

    private void Finish()
    {
        State = PdState.Stopped;
        _timeout = null;
        _retransmission = null;
    }

    private IaPdOption IaPd(IReadOnlyList<LeasedPrefix> prefixes) =>
        new(config.Iaid, 0, 0, prefixes.Select(p => (Dhcp6Option)new IaPrefixOption(0, 0, p.Length, p.Prefix, [])).ToList());

    private IaPdOption? OurIa(Dhcp6Message message) =>
        message.Options.OfType<IaPdOption>().FirstOrDefault(ia => ia.Iaid == config.Iaid);

    /// <summary>T1/T2 as given, or (when the server left one at 0) 0.5 / 0.8 of the shortest non-zero preferred lifetime (RFC 8415 §21.21); T1 never above T2.</summary>
    private static (TimeSpan T1, TimeSpan T2) Timers(IaPdOption ia, List<LeasedPrefix> prefixes)
    {
        // Deprecated prefixes (preferred 0, as a server sends while renumbering) do not count: they would
        // make both timers 0 and the client renew in a loop. With none preferred, the valid lifetimes decide.
        var preferred = prefixes.Where(p => p.Preferred > TimeSpan.Zero).ToList();
        TimeSpan basis = preferred.Count > 0 ? preferred.Min(p => p.Preferred) : prefixes.Min(p => p.Valid);
        TimeSpan Scaled(double factor) => basis == TimeSpan.MaxValue ? TimeSpan.MaxValue : basis * factor;

        // Each timer the server left at 0 is chosen on its own; a non-zero one is kept.
        TimeSpan t1 = ia.T1 > 0 ? PdTime.FromWire(ia.T1) : Scaled(0.5);
        TimeSpan t2 = ia.T2 > 0 ? PdTime.FromWire(ia.T2) : Scaled(0.8);
        return (t1 < t2 ? t1 : t2, t2);
    }

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;
}
