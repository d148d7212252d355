using System.Net;
using IpoeRouter.Protocols.Dhcp4;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Services.Dhcp4Server;

/// <summary>
/// The DHCPv4 server's decisions for one scope (RFC 2131 §4.3), without I/O: the host hands it each
/// received message with the time (<see cref="Handle"/>), persists the <see cref="Dhcp4Decision.LeaseChanges"/>
/// and then sends the reply, if any, where the decision says. It keeps the leases in an
/// <see cref="ILeaseTable"/> and the offers on hold in memory (offers are not persisted: a restart
/// between OFFER and REQUEST is covered by acknowledging a REQUEST for a free address).
/// </summary>
/// <remarks>
/// <para>
/// DISCOVER → OFFER of, in order: the client's reserved address; the address it was last offered,
/// holds or held (its affinity survives RELEASE and expiry); the address it asks for in option 50
/// when that is a free pool address nobody else held; the lowest pool address nobody holds or held;
/// and last, reclaiming, the address of another client's lapsed lease, the one that ran out
/// longest ago first. An offer holds its address for <see cref="Dhcp4ScopeConfig.OfferHoldTime"/>.
/// </para>
/// <para>
/// REQUEST: SELECTING (option 54) for another server forgets our offer silently, for us is ACKed
/// when it takes our offer (or, when no offer is held, a free address), else NAKed; INIT-REBOOT
/// (option 50, no <c>ciaddr</c>) is NAKed off the subnet, silent when the client is unknown, ACKed
/// when the address is the client's, else NAKed; RENEWING and REBINDING (<c>ciaddr</c>) are ACKed
/// with a fresh lease when the address is the client's, else NAKed. A client whose reservation names
/// another, available, address is NAKed so it comes back for the reserved one. DECLINE quarantines the
/// address for <see cref="Dhcp4ScopeConfig.DeclineQuarantine"/>; RELEASE frees it; INFORM gets the
/// configuration only.
/// </para>
/// <para>
/// Reserved addresses go only to their clients. Every message first passes the per-client rate
/// limit. Not thread-safe: one scope is served from one loop.
/// </para>
/// </remarks>
public sealed partial class ScopeServer
{
    private readonly Dhcp4ScopeConfig _config;
    private readonly ILeaseTable _leases;
    private readonly Dhcp4RateLimiter _limiter;
    private readonly Dictionary<IPAddress, Dhcp4Reservation> _reservedByAddress = [];
    private readonly Dictionary<ByteString, Dhcp4Reservation> _reservedByMac = [];
    private readonly Dictionary<ByteString, Dhcp4Reservation> _reservedByClientId = [];
    private readonly Dictionary<IPAddress, Dhcp4Lease> _offersByAddress = [];
    private readonly Dictionary<Dhcp4ClientKey, Dhcp4Lease> _offersByClient = [];

    /// <summary>
    /// A server for <paramref name="config"/> (validated here: <see cref="Dhcp4ScopeConfig.Validate"/>)
    /// keeping its leases in <paramref name="leases"/>, which may hold leases read back after a restart.
    /// </summary>
    public ScopeServer(Dhcp4ScopeConfig config, ILeaseTable leases)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(leases);
        config.Validate();
        _config = config;
        _leases = leases;
        _limiter = new Dhcp4RateLimiter(config.RateLimit);
        foreach (Dhcp4Reservation r in config.Reservations)
        {
            _reservedByAddress[r.Address] = r;
            if (r.Mac is { Length: > 0 } mac)
            {
                _reservedByMac[mac] = r;
            }

            if (r.ClientId is { Length: > 0 } id)
            {
                _reservedByClientId[id] = r;
            }
        }
    }

    /// <summary>The scope served.</summary>
    public Dhcp4ScopeConfig Config => _config;

    /// <summary>The lease table.</summary>
    public ILeaseTable Leases => _leases;

    /// <summary>The offers held now (some may have lapsed; <see cref="Dhcp4Lease.IsActive"/> tells).</summary>
    public IReadOnlyCollection<Dhcp4Lease> Offers => [.. _offersByAddress.Values];

    /// <summary>Messages dropped by the per-client rate limit so far.</summary>
    public long RateLimitedMessages => _limiter.Dropped;

    /// <summary>When a bound lease, a quarantine or an offer ends next (the host calls <see cref="Expire"/> then), or null.</summary>
    public DateTimeOffset? NextExpiry
    {
        get
        {
            IEnumerable<DateTimeOffset> ends = _leases.All
                .Where(l => l.State is Dhcp4LeaseState.Bound or Dhcp4LeaseState.Declined)
                .Concat(_offersByAddress.Values)
                .Select(l => l.Expiry);
            return ends.Any() ? ends.Min() : null;
        }
    }

    /// <summary>The decision for <paramref name="request"/>, received at <paramref name="now"/>.</summary>
    public Dhcp4Decision Handle(Dhcp4Message request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Op != Dhcp4OpCode.BootRequest || request.MessageType is not { } type)
        {
            return Silent(Dhcp4NoReplyReason.Invalid, "not a DHCP request (BOOTREPLY, or BOOTP without option 53)");
        }

        if (Dhcp4ClientKey.Of(request) is not { } key)
        {
            return Silent(Dhcp4NoReplyReason.Invalid, $"a {type} with neither chaddr nor client identifier");
        }

        var client = new Client(key, request, ReservationOf(request));
        ByteString sender = request.HardwareAddress.Length > 0 ? new ByteString([request.HardwareType, .. request.HardwareAddress.Span]) : key.Bytes;
        if (!_limiter.TryAccept(sender, now))
        {
            return Silent(Dhcp4NoReplyReason.RateLimited, $"{type} from {client} dropped: more than {_config.RateLimit.MaxMessages} messages in {_config.RateLimit.Window}");
        }

        if (!Ipv4Number.IsZero(request.RelayAgentAddress) && !_config.Subnet.Contains(request.RelayAgentAddress))
        {
            return Silent(Dhcp4NoReplyReason.NotThisScope, $"{type} from {client} relayed by {request.RelayAgentAddress}, outside {_config.Subnet}");
        }

        return type switch
        {
            Dhcp4MessageType.Discover => OnDiscover(client, now),
            Dhcp4MessageType.Request => OnRequest(client, now),
            Dhcp4MessageType.Decline => OnDecline(client, now),
            Dhcp4MessageType.Release => OnRelease(client, now),
            Dhcp4MessageType.Inform => OnInform(client),
            _ => Silent(Dhcp4NoReplyReason.Invalid, $"a {type} from {client} is not a client's message"),
        };
    }

    /// <summary>
    /// Ends what is due at <paramref name="now"/>: bound leases past their expiry become
    /// <see cref="Dhcp4LeaseState.Expired"/> (kept for their client's affinity), quarantines that
    /// ended are deleted, lapsed offers are dropped. Returns the changes to persist. Optional for
    /// correctness (lapsed leases are reclaimable anyway); it keeps the table and the DNS names true.
    /// </summary>
    public IReadOnlyList<Dhcp4LeaseChange> Expire(DateTimeOffset now)
    {
        var changes = new List<Dhcp4LeaseChange>();
        foreach (Dhcp4Lease lease in _leases.All.Where(l => !l.IsActive(now)).OrderBy(l => Ipv4Number.From(l.Address)))
        {
            if (lease.State == Dhcp4LeaseState.Bound)
            {
                Dhcp4Lease expired = lease with { State = Dhcp4LeaseState.Expired };
                _leases.Upsert(expired);
                changes.Add(new Dhcp4LeaseChange(lease.Address, expired));
            }
            else if (lease.State == Dhcp4LeaseState.Declined)
            {
                _leases.Remove(lease.Address);
                changes.Add(new Dhcp4LeaseChange(lease.Address, null));
            }
        }

        foreach (Dhcp4Lease offer in _offersByAddress.Values.Where(o => !o.IsActive(now)).ToList())
        {
            DropOffer(offer);
        }

        return changes;
    }

    private Dhcp4Decision OnDiscover(Client client, DateTimeOffset now)
    {
        if (Choose(client, now) is not { } address)
        {
            string pool = _config.Pool is { } p ? $"pool {p} ({p.Size} addresses)" : "no pool, reservations only";
            return Silent(Dhcp4NoReplyReason.PoolExhausted, $"pool exhausted: no free address for {client} ({pool})");
        }

        Hold(new Dhcp4Lease(address, client.Key, client.Request.HardwareAddress, client.HostName, Dhcp4LeaseState.Offered, now + _config.OfferHoldTime));
        Dhcp4Message offer = Dhcp4ReplyBuilder.Offer(_config, client.Request, address, client.Reservation);
        return new Dhcp4Reply(offer, Dhcp4Destination.For(client.Request, nak: false, address));
    }

    private Dhcp4Decision OnInform(Client client)
    {
        Dhcp4Message request = client.Request;
        if (Ipv4Number.IsZero(request.RelayAgentAddress) && !Ipv4Number.IsZero(request.ClientAddress) && !_config.Subnet.Contains(request.ClientAddress))
        {
            return Silent(Dhcp4NoReplyReason.NotThisScope, $"INFORM from {client} at {request.ClientAddress}, outside {_config.Subnet}");
        }

        Dhcp4Message ack = Dhcp4ReplyBuilder.InformAck(_config, request, client.Reservation);
        return new Dhcp4Reply(ack, Dhcp4Destination.For(request, nak: false, IPAddress.Any));
    }

    private Dhcp4Reservation? ReservationOf(Dhcp4Message request)
    {
        if (request.Find<ClientIdentifierOption>() is { } id &&
            _reservedByClientId.TryGetValue(new ByteString([id.Type, .. id.Identifier.Span]), out Dhcp4Reservation? byId))
        {
            return byId;
        }

        return _reservedByMac.GetValueOrDefault(request.HardwareAddress);
    }

    private Dhcp4NoReply Silent(Dhcp4NoReplyReason reason, string detail) => new(reason, $"scope {_config.Name}: {detail}");

    /// <summary>One request's client: its key, the message, and its reservation if it has one.</summary>
    private sealed record Client(Dhcp4ClientKey Key, Dhcp4Message Request, Dhcp4Reservation? Reservation)
    {
        /// <summary>The reservation's host name, else the client's option 12.</summary>
        public string? HostName => Reservation?.HostName ?? Request.Find<HostNameOption>()?.Name;

        /// <summary>The MAC when there is one, and the client identifier when it differs.</summary>
        public override string ToString() =>
            Request.HardwareAddress.Length == 0 ? $"client {Key}"
            : Request.Find<ClientIdentifierOption>() is null ? $"client {Request.HardwareAddress}"
            : $"client {Request.HardwareAddress} (id {Key})";
    }
}
