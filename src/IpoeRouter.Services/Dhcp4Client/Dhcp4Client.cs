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
/// (RFC 2131 §4.1): the server then broadcasts its OFFER/ACK/NAK, which a plain UDP socket on port 68
/// receives. Without it a server unicasts to <c>yiaddr</c> and the MAC, and the kernel drops the
/// packet because that address is not configured yet (clients that need no flag use packet sockets).
/// </para>
/// <para>
/// No DECLINE: the client does not ARP-probe the offered address before using it (RFC 2131 §4.4.1
/// says SHOULD). A probe needs a packet socket, which this UDP client does without, and on the HGW's
/// link the router is normally the only client; the kernel has no IPv4 duplicate detection, so a
/// conflict would only show as broken traffic to the HGW until the server hands out another address.
/// </para>
/// </remarks>
public sealed class Dhcp4Client(Dhcp4ClientConfig config, Func<double> random, Func<uint> newTransactionId)
{
    private Dhcp4Backoff? _backoff;
    private DateTimeOffset? _timeout;
    private DateTimeOffset _exchangeStart;
    private DateTimeOffset _requestSentAt;
    private uint _xid;
    private IPAddress? _hint;
    private Dhcp4Message? _offer;
    private Dhcp4Lease? _saved;
    private int _naks;

    /// <summary>The current state.</summary>
    public Dhcp4ClientState State { get; private set; } = Dhcp4ClientState.Idle;

    /// <summary>The lease held (BOUND, RENEWING, REBINDING), or null.</summary>
    public Dhcp4Lease? Lease { get; private set; }

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
                OnAck(message, actions);
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

    private void OnAck(Dhcp4Message ack, List<Dhcp4ClientAction> actions)
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
        }
    }

    private void BeginInit(DateTimeOffset now, TimeSpan delay, List<Dhcp4ClientAction> actions)
    {
        _offer = null;
        _backoff = null;
        if (delay <= TimeSpan.Zero)
        {
            BeginDiscover(now, actions);
            return;
        }

        State = Dhcp4ClientState.Init;
        _xid = 0;
        _timeout = now + delay;
    }

    private void BeginDiscover(DateTimeOffset now, List<Dhcp4ClientAction> actions)
    {
        State = Dhcp4ClientState.Selecting;
        _xid = newTransactionId();
        _exchangeStart = now;
        _backoff = new Dhcp4Backoff(Dhcp4Timers.Discover, random);
        Retransmit(now, actions);
    }

    private void BeginReboot(DateTimeOffset now, Dhcp4Lease saved, List<Dhcp4ClientAction> actions)
    {
        _saved = saved;
        State = Dhcp4ClientState.InitReboot;
        _xid = newTransactionId();
        _exchangeStart = now;
        _requestSentAt = now;
        _backoff = new Dhcp4Backoff(Dhcp4Timers.Reboot, random);
        State = Dhcp4ClientState.Rebooting;
        Retransmit(now, actions);
    }

    private void BeginRenew(DateTimeOffset now, List<Dhcp4ClientAction> actions)
    {
        State = Dhcp4ClientState.Renewing;
        _xid = newTransactionId();
        _exchangeStart = now;
        SendRenewal(now, actions);
    }

    private void BeginRebind(DateTimeOffset now, List<Dhcp4ClientAction> actions)
    {
        State = Dhcp4ClientState.Rebinding;
        _xid = newTransactionId();
        _exchangeStart = now;
        SendRenewal(now, actions);
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

    private Dhcp4Message Build(Dhcp4MessageType type, DateTimeOffset now, bool broadcast, IPAddress clientAddress, List<Dhcp4Option> specific, bool requestList)
    {
        var options = new List<Dhcp4Option>
        {
            new MessageTypeOption(type),
            new ClientIdentifierOption(ClientIdentifierOption.Ethernet, config.HardwareAddress),
        };
        options.AddRange(specific);
        if (config.HostName is { Length: > 0 } name && type != Dhcp4MessageType.Release)
        {
            options.Add(new HostNameOption(name));
        }

        if (requestList)
        {
            options.Add(new ParameterRequestListOption(Dhcp4ClientConfig.RequestedOptions));
        }

        double seconds = type == Dhcp4MessageType.Release ? 0 : (now - _exchangeStart).TotalSeconds;
        return new Dhcp4Message
        {
            Op = Dhcp4OpCode.BootRequest,
            TransactionId = _xid,
            Seconds = (ushort)Math.Clamp(seconds, 0, ushort.MaxValue),
            Flags = broadcast ? Dhcp4Flags.Broadcast : Dhcp4Flags.None,
            ClientAddress = clientAddress,
            HardwareAddress = config.HardwareAddress,
            Options = options,
        };
    }

    /// <summary>
    /// The lease an ACK grants, or null when it lacks what a lease needs (RFC 2131 §4.3.1: yiaddr,
    /// option 51, option 54). T1/T2 default to 0.5 and 0.875 of the lease (§4.4.5) unless the server
    /// sent a consistent pair. Options the ACK leaves out keep their values from <paramref name="previous"/>
    /// for the same address.
    /// </summary>
    private Dhcp4Lease? LeaseFrom(Dhcp4Message ack, Dhcp4Lease? previous)
    {
        IPAddress? server = ack.Find<ServerIdentifierOption>()?.Address ?? previous?.ServerId;
        if (ack.YourAddress.Equals(IPAddress.Any) || ack.Find<LeaseTimeOption>() is not { } leaseTime || server is null)
        {
            return null;
        }

        if (previous is not null && !previous.Address.Equals(ack.YourAddress))
        {
            previous = null;
        }

        TimeSpan duration = Dhcp4Lease.FromWire(leaseTime.Seconds);
        TimeSpan t1 = duration == TimeSpan.MaxValue ? TimeSpan.MaxValue : duration * 0.5;
        TimeSpan t2 = duration == TimeSpan.MaxValue ? TimeSpan.MaxValue : duration * 0.875;
        if (ack.Find<RenewalTimeOption>() is { } r1 && ack.Find<RebindingTimeOption>() is { } r2
            && Dhcp4Lease.FromWire(r1.Seconds) is var s1 && Dhcp4Lease.FromWire(r2.Seconds) is var s2
            && s1 <= s2 && s2 <= duration)
        {
            (t1, t2) = (s1, s2);
        }
        else if (ack.Find<RenewalTimeOption>() is { } only && Dhcp4Lease.FromWire(only.Seconds) is var o && o <= t2)
        {
            t1 = o;
        }

        return new Dhcp4Lease(
            ack.YourAddress,
            PrefixLength(ack.Find<SubnetMaskOption>()?.Mask, ack.YourAddress),
            server,
            ack.Find<RouterOption>()?.Routers ?? previous?.Routers ?? [],
            ack.Find<DomainNameServerOption>()?.Servers ?? previous?.DnsServers ?? [],
            ack.Find<DomainNameOption>()?.Name.TrimEnd('\0') ?? previous?.DomainName,
            duration,
            t1,
            t2,
            _requestSentAt);
    }

    /// <summary>The mask's length; a missing or non-contiguous mask falls back to the address's class (RFC 1122 §3.3.1.1 hosts without a mask), as other clients do.</summary>
    private static byte PrefixLength(IPAddress? mask, IPAddress address)
    {
        if (mask is not null)
        {
            uint m = BinaryPrimitives.ReadUInt32BigEndian(mask.GetAddressBytes());
            int ones = System.Numerics.BitOperations.LeadingZeroCount(~m);
            if (ones == 32 || m << ones == 0)
            {
                return (byte)ones;
            }
        }

        byte first = address.GetAddressBytes()[0];
        return first < 128 ? (byte)8 : first < 192 ? (byte)16 : (byte)24;
    }

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;
}
