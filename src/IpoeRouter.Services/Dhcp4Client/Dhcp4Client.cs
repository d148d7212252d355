using System.Buffers.Binary;
using System.Net;
using IpoeRouter.Protocols.Dhcp4;

namespace IpoeRouter.Services.Dhcp4Client;

/// <summary>
/// The WAN's DHCPv4 client of RFC 2131 §4.4 as a state machine without I/O: the host feeds it
/// received messages and the clock (<see cref="Receive"/>, <see cref="Tick"/> at <see cref="NextWake"/>)
/// and carries out the actions it returns. INIT → SELECTING (DISCOVER) → REQUESTING (REQUEST for the
/// first OFFER) → BOUND; RENEWING at T1 (unicast to the server), REBINDING at T2 (broadcast), expiry
/// drops the lease and starts over. A start with a saved lease still valid goes through INIT-REBOOT
/// (REQUEST with the saved address, broadcast) and falls back to INIT on NAK or after two unanswered
/// tries. NAK in any state drops the lease. A graceful <see cref="Stop"/> sends RELEASE.
/// </summary>
/// <remarks>
/// <para>
/// Every DISCOVER and every REQUEST sent before the address is configured carries the BROADCAST flag
/// (RFC 2131 §4.1): the server then broadcasts its OFFER/ACK/NAK. The link-layer listening below hears
/// a unicast to <c>yiaddr</c> as well; the flag keeps servers that would otherwise ARP for an address
/// nobody holds yet from delaying or losing the reply.
/// </para>
/// <para>
/// Until the address is configured (INIT, SELECTING, REQUESTING, the probe, INIT-REBOOT/REBOOTING) and
/// again in REBINDING, the host listens on the link layer (<see cref="Listening"/>): with strict
/// reverse-path filtering the kernel drops a server's reply from an address the router has no route
/// back to yet, before any UDP socket sees it (as dhclient and systemd-networkd do, with packet sockets).
/// </para>
/// <para>
/// A new address is probed before it is used (RFC 2131 §4.4.1, RFC 5227 §2.1): after the ACK, ARP
/// probes for it; an ARP packet from another host that uses or probes for it means it is taken, and the
/// client sends DECLINE and starts over after ten seconds (RFC 2131 §3.1) without asking for it again.
/// </para>
/// </remarks>
public sealed partial class Dhcp4Client(Dhcp4ClientConfig config, Func<double> random, Func<uint> newTransactionId)
{
    private Dhcp4Backoff? _backoff;
    private DateTimeOffset? _timeout;
    private DateTimeOffset _exchangeStart;
    private DateTimeOffset _requestSentAt;
    private uint _xid;
    private IPAddress? _hint;
    private Dhcp4Message? _offer;
    private Dhcp4Lease? _saved;
    private Dhcp4Lease? _candidate;
    private int _probesSent;
    private int _naks;

    /// <summary>The current state.</summary>
    public Dhcp4ClientState State { get; private set; } = Dhcp4ClientState.Idle;

    /// <summary>The lease held (BOUND, RENEWING, REBINDING), or null.</summary>
    public Dhcp4Lease? Lease { get; private set; }

    /// <summary>
    /// Where the host must listen in the current state: the UDP socket once the address is configured
    /// (BOUND, RENEWING), the link layer before that and in REBINDING (an answer may come from a server
    /// the router has no route back to), and ARP as well while a new address is probed.
    /// </summary>
    public Dhcp4Listening Listening => State switch
    {
        Dhcp4ClientState.Bound or Dhcp4ClientState.Renewing or Dhcp4ClientState.Idle or Dhcp4ClientState.Stopped => Dhcp4Listening.Socket,
        Dhcp4ClientState.Probing => Dhcp4Listening.LinkLayerAndArp,
        _ => Dhcp4Listening.LinkLayer,
    };

    /// <summary>When <see cref="Tick"/> must next be called (a retransmission, T1, T2 or the lease's end), or null.</summary>
    public DateTimeOffset? NextWake
    {
        get
        {
            DateTimeOffset? wake = _timeout;
            if (Lease is { } lease)
            {
                wake = Min(wake, lease.ExpiresAt);
                wake = State switch
                {
                    Dhcp4ClientState.Bound => Min(wake, lease.RenewAt),
                    Dhcp4ClientState.Renewing => Min(wake, lease.RebindAt),
                    _ => wake,
                };
            }

            return wake == DateTimeOffset.MaxValue ? null : wake;
        }
    }

    /// <summary>
    /// Starts the client. <paramref name="saved"/> is the lease persisted before a restart: while it is
    /// valid the client confirms it (INIT-REBOOT); an expired one is reported gone (so a stale address is
    /// removed) and its address asked for again in DISCOVER.
    /// </summary>
    public IReadOnlyList<Dhcp4ClientAction> Start(DateTimeOffset now, Dhcp4Lease? saved)
    {
        if (State != Dhcp4ClientState.Idle)
        {
            throw new InvalidOperationException("the DHCPv4 client has already been started");
        }

        var actions = new List<Dhcp4ClientAction>();
        if (saved is not null && saved.ExpiresAt > now)
        {
            BeginReboot(now, saved, actions);
            return actions;
        }

        if (saved is not null)
        {
            _hint = saved.Address;
            actions.Add(new Dhcp4LeaseChanged(null, saved, Dhcp4LeaseChangeReason.Expired));
        }

        BeginInit(now, random() * config.FirstDiscoverMaxDelay, actions);
        return actions;
    }

    /// <summary>Handles a message received on the client port; what is not an answer to the current exchange is ignored.</summary>
    public IReadOnlyList<Dhcp4ClientAction> Receive(DateTimeOffset now, Dhcp4Message message)
    {
        var actions = new List<Dhcp4ClientAction>();
        if (message.Op != Dhcp4OpCode.BootReply || message.TransactionId != _xid || message.HardwareAddress != config.HardwareAddress)
        {
            return actions; // not an answer to us (RFC 2131 §4.4.1: match xid and chaddr)
        }

        switch (State, message.MessageType)
        {
            case (Dhcp4ClientState.Selecting, Dhcp4MessageType.Offer):
                OnOffer(now, message, actions);
                break;
            case (Dhcp4ClientState.Requesting or Dhcp4ClientState.Rebooting or Dhcp4ClientState.Renewing or Dhcp4ClientState.Rebinding, Dhcp4MessageType.Ack):
                OnAck(now, message, actions);
                break;
            case (Dhcp4ClientState.Requesting or Dhcp4ClientState.Rebooting or Dhcp4ClientState.Renewing or Dhcp4ClientState.Rebinding, Dhcp4MessageType.Nak):
                OnNak(now, message, actions);
                break;
        }

        return actions;
    }

    /// <summary>Acts on what is due at <paramref name="now"/>: the lease's end, T1, T2, retransmissions.</summary>
    public IReadOnlyList<Dhcp4ClientAction> Tick(DateTimeOffset now)
    {
        var actions = new List<Dhcp4ClientAction>();
        if (Lease is { } lease && now >= lease.ExpiresAt)
        {
            Lease = null;
            _hint = lease.Address;
            actions.Add(new Dhcp4LeaseChanged(null, lease, Dhcp4LeaseChangeReason.Expired));
            BeginInit(now, TimeSpan.Zero, actions);
            return actions;
        }

        if (State == Dhcp4ClientState.Bound && Lease is { } bound && now >= bound.RenewAt)
        {
            if (now >= bound.RebindAt)
            {
                BeginRebind(now, actions); // T1 = T2, or woken late
            }
            else
            {
                BeginRenew(now, actions);
            }

            return actions;
        }

        if (State == Dhcp4ClientState.Renewing && now >= Lease!.RebindAt)
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

    /// <summary>
    /// Graceful stop: with a lease held, RELEASE unicast to its server (the address must still be
    /// configured, so the lease-gone report comes after the send), then the lease reported gone.
    /// </summary>
    public IReadOnlyList<Dhcp4ClientAction> Stop(DateTimeOffset now)
    {
        var actions = new List<Dhcp4ClientAction>();
        if (Lease is { } lease)
        {
            _xid = newTransactionId();
            Dhcp4Message release = Build(Dhcp4MessageType.Release, now, broadcast: false, lease.Address, [new ServerIdentifierOption(lease.ServerId)], requestList: false);
            actions.Add(new Dhcp4Send(release, lease.ServerId));
            Lease = null;
            actions.Add(new Dhcp4LeaseChanged(null, lease, Dhcp4LeaseChangeReason.Released));
        }

        State = Dhcp4ClientState.Stopped;
        _candidate = null;
        _timeout = null;
        _backoff = null;
        return actions;
    }

    private void OnOffer(DateTimeOffset now, Dhcp4Message offer, List<Dhcp4ClientAction> actions)
    {
        if (offer.YourAddress.Equals(IPAddress.Any) || offer.Find<ServerIdentifierOption>() is null)
        {
            return; // not usable: keep waiting for another (RFC 2131 §4.3.1: an OFFER carries both)
        }

        // The first acceptable OFFER wins (RFC 2131 §4.4.1 lets the client choose; the HGW is alone on the link).
        _offer = offer;
        State = Dhcp4ClientState.Requesting;
        _backoff = new Dhcp4Backoff(Dhcp4Timers.Request, random);
        _requestSentAt = now;
        Retransmit(now, actions); // same xid as the DISCOVER and OFFER (RFC 2131 §4.4.1, table 5)
    }

    private void OnAck(DateTimeOffset now, Dhcp4Message ack, List<Dhcp4ClientAction> actions)
    {
        if (State == Dhcp4ClientState.Requesting && ack.Find<ServerIdentifierOption>()?.Address is { } from
            && !from.Equals(_offer!.Find<ServerIdentifierOption>()!.Address))
        {
            return; // only the chosen server commits the lease (RFC 2131 §4.3.2)
        }

        Dhcp4Lease? previous = State == Dhcp4ClientState.Rebooting ? _saved : Lease;
        Dhcp4Lease? lease = LeaseFrom(ack, previous);
        if (lease is null)
        {
            return; // an ACK without address, server identifier or lease time cannot be used: keep retransmitting
        }

        if (State == Dhcp4ClientState.Requesting && config.ProbeAddress)
        {
            BeginProbe(now, lease); // a new address: make sure nobody else uses it first
            return;
        }

        Dhcp4LeaseChangeReason reason = State switch
        {
            Dhcp4ClientState.Requesting => Dhcp4LeaseChangeReason.Acquired,
            Dhcp4ClientState.Rebooting => Dhcp4LeaseChangeReason.Confirmed,
            _ when previous is not null && !previous.Address.Equals(lease.Address) => Dhcp4LeaseChangeReason.Acquired,
            _ => Dhcp4LeaseChangeReason.Extended,
        };
        Lease = lease;
        _saved = null;
        _offer = null;
        _naks = 0;
        State = Dhcp4ClientState.Bound;
        _timeout = null;
        _backoff = null;
        actions.Add(new Dhcp4LeaseChanged(lease, previous, reason));
    }

    private void OnNak(DateTimeOffset now, Dhcp4Message nak, List<Dhcp4ClientAction> actions)
    {
        if (State == Dhcp4ClientState.Requesting && nak.Find<ServerIdentifierOption>()?.Address is { } from
            && _offer?.Find<ServerIdentifierOption>()?.Address is { } chosen && !from.Equals(chosen))
        {
            return; // another server declining our REQUEST for the chosen one's offer: not ours to act on
        }

        Dhcp4Lease? held = State == Dhcp4ClientState.Rebooting ? _saved : Lease;
        Lease = null;
        _saved = null;
        _hint = null; // the address is wrong for this network: do not ask for it again
        if (held is not null)
        {
            actions.Add(new Dhcp4LeaseChanged(null, held, Dhcp4LeaseChangeReason.Refused));
        }

        // RFC 2131 §4.4.1/§4.4.2: back to INIT. Waiting 1, 2, 4 … 64 s over NAKs in a row keeps a
        // server that offers and then refuses from being asked in a tight loop.
        TimeSpan delay = Dhcp4Timers.NakDelay * Math.Pow(2, Math.Min(_naks, 6));
        _naks++;
        BeginInit(now, delay < Dhcp4Timers.NakMaxDelay ? delay : Dhcp4Timers.NakMaxDelay, actions);
    }

    private void OnTimeout(DateTimeOffset now, List<Dhcp4ClientAction> actions)
    {
        switch (State)
        {
            case Dhcp4ClientState.Init:
                BeginDiscover(now, actions);
                return;
            case Dhcp4ClientState.Selecting:
                Retransmit(now, actions);
                return;
            case Dhcp4ClientState.Requesting:
                if (!Retransmit(now, actions))
                {
                    _offer = null;
                    BeginDiscover(now, actions); // the server offered and went quiet: choose again
                }

                return;
            case Dhcp4ClientState.Rebooting:
                if (!Retransmit(now, actions))
                {
                    Dhcp4Lease saved = _saved!;
                    _saved = null;
                    _hint = saved.Address;
                    actions.Add(new Dhcp4LeaseChanged(null, saved, Dhcp4LeaseChangeReason.Unconfirmed));
                    BeginDiscover(now, actions);
                }

                return;
            case Dhcp4ClientState.Renewing:
            case Dhcp4ClientState.Rebinding:
                SendRenewal(now, actions);
                return;
            case Dhcp4ClientState.Probing:
                ProbeStep(now, actions);
                return;
        }
    }

    /// <summary>
    /// One REQUEST of RENEWING (unicast to the server) or REBINDING (broadcast): <c>ciaddr</c> is the
    /// leased address, no option 50 or 54 (RFC 2131 §4.3.2), no BROADCAST flag (the address is
    /// configured: the server unicasts the ACK to it). The next one waits half the time left until T2
    /// or the lease's end, at least 60 s (§4.4.5); T2 and the end are due in <see cref="Tick"/> anyway.
    /// </summary>
    private void SendRenewal(DateTimeOffset now, List<Dhcp4ClientAction> actions)
    {
        Dhcp4Lease lease = Lease!;
        _requestSentAt = now;
        bool renewing = State == Dhcp4ClientState.Renewing;
        Dhcp4Message request = Build(Dhcp4MessageType.Request, now, broadcast: false, lease.Address, [], requestList: true);
        actions.Add(new Dhcp4Send(request, renewing ? lease.ServerId : IPAddress.Broadcast));
        DateTimeOffset until = renewing ? lease.RebindAt : lease.ExpiresAt;
        TimeSpan half = until == DateTimeOffset.MaxValue ? TimeSpan.MaxValue : (until - now) / 2;
        _timeout = half == TimeSpan.MaxValue ? null : now + (half > Dhcp4Timers.RenewMinimum ? half : Dhcp4Timers.RenewMinimum);
    }

    /// <summary>Sends the current exchange's broadcast message (DISCOVER, or REQUEST in REQUESTING/REBOOTING) once more; false when the exchange has made all its tries.</summary>
    private bool Retransmit(DateTimeOffset now, List<Dhcp4ClientAction> actions)
    {
        TimeSpan? wait = _backoff!.Next();
        if (wait is null)
        {
            _timeout = null;
            return false;
        }

        List<Dhcp4Option> options = State switch
        {
            Dhcp4ClientState.Selecting => _hint is { } hint ? [new RequestedIpAddressOption(hint)] : [],
            Dhcp4ClientState.Requesting => [new RequestedIpAddressOption(_offer!.YourAddress), new ServerIdentifierOption(_offer.Find<ServerIdentifierOption>()!.Address)],
            Dhcp4ClientState.Rebooting => [new RequestedIpAddressOption(_saved!.Address)],
            _ => throw new InvalidOperationException($"nothing to retransmit in {State}"),
        };
        Dhcp4MessageType type = State == Dhcp4ClientState.Selecting ? Dhcp4MessageType.Discover : Dhcp4MessageType.Request;
        actions.Add(new Dhcp4Send(Build(type, now, broadcast: true, IPAddress.Any, options, requestList: true), IPAddress.Broadcast));
        _timeout = now + wait.Value;
        return true;
    }
}
