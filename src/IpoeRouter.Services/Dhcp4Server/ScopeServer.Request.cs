using System.Net;
using IpoeRouter.Protocols.Dhcp4;

namespace IpoeRouter.Services.Dhcp4Server;

/// <summary>REQUEST in its four client states (RFC 2131 §4.3.2), DECLINE (§4.3.3) and RELEASE (§4.3.4).</summary>
public sealed partial class ScopeServer
{
    private Dhcp4Decision OnRequest(Client client, DateTimeOffset now)
    {
        Dhcp4Message request = client.Request;
        IPAddress? requested = request.Find<RequestedIpAddressOption>()?.Address;
        if (request.Find<ServerIdentifierOption>()?.Address is { } serverId)
        {
            return Selecting(client, serverId, requested ?? NonZero(request.ClientAddress), now);
        }

        if (NonZero(request.ClientAddress) is { } current)
        {
            return Renewing(client, current, now); // RENEWING (unicast) and REBINDING (broadcast) alike
        }

        if (requested is not null)
        {
            return InitReboot(client, requested, now);
        }

        return Silent(Dhcp4NoReplyReason.Invalid, $"REQUEST from {client} with neither server identifier, ciaddr nor requested address");
    }

    /// <summary>SELECTING: the client chose an offer, ours or another server's.</summary>
    private Dhcp4Decision Selecting(Client client, IPAddress serverId, IPAddress? address, DateTimeOffset now)
    {
        if (!serverId.Equals(_config.ServerAddress))
        {
            ForgetOffers(client.Key, null);
            return Silent(Dhcp4NoReplyReason.OtherServer, $"{client} chose server {serverId}; our offer is withdrawn");
        }

        if (address is null)
        {
            return Silent(Dhcp4NoReplyReason.Invalid, $"REQUEST (selecting) from {client} without a requested address");
        }

        // With our offer held, only its address; without (the hold lapsed, or we restarted), any address free for the client.
        bool granted = OfferFor(client.Key, now) is { } offer
            ? offer.Address.Equals(address) && IsAvailableTo(address, client, now)
            : Suits(address, client, now) && IsUnclaimedFor(address, client);
        return granted ? Ack(client, address, now) : Nak(client, $"{address} is not offered to this client");
    }

    /// <summary>INIT-REBOOT: the client comes back with the address it remembers, without a server identifier.</summary>
    private Dhcp4Decision InitReboot(Client client, IPAddress address, DateTimeOffset now)
    {
        if (!_config.Subnet.Contains(address))
        {
            return Nak(client, $"{address} is not on {_config.Subnet}");
        }

        Dhcp4Lease? lease = _leases.FindByClient(client.Key);
        Dhcp4Lease? offer = OfferFor(client.Key, now);
        if (lease is null && offer is null)
        {
            return Silent(Dhcp4NoReplyReason.UnknownClient, $"INIT-REBOOT from {client} for {address}: no record of this client");
        }

        bool ours = address.Equals(lease?.Address) || address.Equals(offer?.Address);
        return ours && Suits(address, client, now) ? Ack(client, address, now) : Nak(client, $"{address} is not this client's");
    }

    /// <summary>RENEWING or REBINDING: the client extends the lease of <c>ciaddr</c>.</summary>
    private Dhcp4Decision Renewing(Client client, IPAddress address, DateTimeOffset now)
    {
        if (!_config.Subnet.Contains(address))
        {
            return Nak(client, $"{address} is not on {_config.Subnet}");
        }

        bool ours = address.Equals(_leases.FindByClient(client.Key)?.Address);
        return ours && Suits(address, client, now) ? Ack(client, address, now) : Nak(client, $"{address} is not this client's");
    }

    /// <summary>
    /// Binds <paramref name="address"/> to the client for a full lease from <paramref name="now"/>:
    /// its record elsewhere, if any, is deleted, the address's record (a lapsed lease of another
    /// client included) is replaced, its offer is dropped; the changes go with the ACK.
    /// </summary>
    private Dhcp4Reply Ack(Client client, IPAddress address, DateTimeOffset now)
    {
        var changes = new List<Dhcp4LeaseChange>();
        if (_leases.FindByClient(client.Key) is { } old && !old.Address.Equals(address))
        {
            _leases.Remove(old.Address);
            changes.Add(new Dhcp4LeaseChange(old.Address, null));
        }

        // A renewal need not repeat option 12 (RFC 2131 leaves it to the client): the name it gave stays with the lease.
        string? name = client.HostName
            ?? (_leases.FindByAddress(address) is { State: Dhcp4LeaseState.Bound } held && Equals(held.ClientKey, client.Key) ? held.HostName : null);
        var lease = new Dhcp4Lease(address, client.Key, client.Request.HardwareAddress, name, Dhcp4LeaseState.Bound, now + _config.LeaseTime);
        _leases.Upsert(lease);
        changes.Add(new Dhcp4LeaseChange(address, lease));
        ForgetOffers(client.Key, address);

        Dhcp4Message ack = Dhcp4ReplyBuilder.Ack(_config, client.Request, address, client.Reservation);
        return new Dhcp4Reply(ack, Dhcp4Destination.For(client.Request, nak: false, address)) { LeaseChanges = changes };
    }

    private Dhcp4Reply Nak(Client client, string why)
    {
        Dhcp4Message nak = Dhcp4ReplyBuilder.Nak(_config, client.Request, why);
        return new Dhcp4Reply(nak, Dhcp4Destination.For(client.Request, nak: true, IPAddress.Any));
    }

    /// <summary>DECLINE: the client found the address in use; nobody gets it during the quarantine.</summary>
    private Dhcp4Decision OnDecline(Client client, DateTimeOffset now)
    {
        Dhcp4Message request = client.Request;
        if (request.Find<ServerIdentifierOption>()?.Address is { } serverId && !serverId.Equals(_config.ServerAddress))
        {
            return Silent(Dhcp4NoReplyReason.OtherServer, $"{client} declined an address of server {serverId}");
        }

        if ((request.Find<RequestedIpAddressOption>()?.Address ?? NonZero(request.ClientAddress)) is not { } address)
        {
            return Silent(Dhcp4NoReplyReason.Invalid, $"DECLINE from {client} without the declined address");
        }

        bool held = _leases.FindByAddress(address)?.ClientKey == client.Key || address.Equals(OfferFor(client.Key, now)?.Address);
        if (!held)
        {
            return Silent(Dhcp4NoReplyReason.NotHeld, $"{client} declined {address}, which it does not hold: ignored");
        }

        ForgetOffers(client.Key, address);
        var quarantine = new Dhcp4Lease(address, null, request.HardwareAddress, null, Dhcp4LeaseState.Declined, now + _config.DeclineQuarantine);
        _leases.Upsert(quarantine);
        return Silent(Dhcp4NoReplyReason.Declined, $"{client} declined {address} (in use by another host): quarantined until {quarantine.Expiry:u}")
            with { LeaseChanges = [new Dhcp4LeaseChange(address, quarantine)] };
    }

    /// <summary>RELEASE: the client gives its address back; it stays the client's first choice next time.</summary>
    private Dhcp4Decision OnRelease(Client client, DateTimeOffset now)
    {
        Dhcp4Message request = client.Request;
        if (request.Find<ServerIdentifierOption>()?.Address is { } serverId && !serverId.Equals(_config.ServerAddress))
        {
            return Silent(Dhcp4NoReplyReason.OtherServer, $"{client} released an address of server {serverId}");
        }

        if (_leases.FindByClient(client.Key) is not { } lease || !lease.Address.Equals(request.ClientAddress))
        {
            return Silent(Dhcp4NoReplyReason.NotHeld, $"{client} released {request.ClientAddress}, which it does not hold: ignored");
        }

        ForgetOffers(client.Key, null);
        Dhcp4Lease released = lease with { State = Dhcp4LeaseState.Released, Expiry = now };
        _leases.Upsert(released);
        return Silent(Dhcp4NoReplyReason.Released, $"{client} released {lease.Address}")
            with { LeaseChanges = [new Dhcp4LeaseChange(lease.Address, released)] };
    }

    private static IPAddress? NonZero(IPAddress address) => Ipv4Number.IsZero(address) ? null : address;
}
