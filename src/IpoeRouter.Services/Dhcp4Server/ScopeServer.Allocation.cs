using System.Net;
using IpoeRouter.Protocols.Dhcp4;

namespace IpoeRouter.Services.Dhcp4Server;

/// <summary>Which address a client may have, which one it is offered, and the offers on hold.</summary>
public sealed partial class ScopeServer
{
    /// <summary>The address to offer <paramref name="client"/>, in the order the class remarks give, or null when none is left.</summary>
    private IPAddress? Choose(Client client, DateTimeOffset now)
    {
        IPAddress?[] own = [client.Reservation?.Address, OfferFor(client.Key, now)?.Address, _leases.FindByClient(client.Key)?.Address];
        foreach (IPAddress? candidate in own)
        {
            if (candidate is not null && IsAvailableTo(candidate, client, now))
            {
                return candidate;
            }
        }

        if (client.Request.Find<RequestedIpAddressOption>()?.Address is { } requested && IsAvailableTo(requested, client, now) && IsUnclaimedFor(requested, client))
        {
            return requested;
        }

        if (_config.Pool is not { } pool)
        {
            return null;
        }

        for (long n = Ipv4Number.From(pool.First); n <= Ipv4Number.From(pool.Last); n++)
        {
            IPAddress address = Ipv4Number.To((uint)n);
            if (IsAvailableTo(address, client, now) && IsUnclaimedFor(address, client))
            {
                return address;
            }
        }

        // Reclaim: another client's lapsed lease (expired, released, or bound past its expiry), the one that ended longest ago first.
        return _leases.All
            .Where(l => l.ClientKey is { } k && k != client.Key && !l.IsActive(now) && IsAvailableTo(l.Address, client, now))
            .OrderBy(l => l.Expiry)
            .ThenBy(l => Ipv4Number.From(l.Address))
            .FirstOrDefault()?.Address;
    }

    /// <summary>
    /// True when <paramref name="address"/> may be given to <paramref name="client"/> at
    /// <paramref name="now"/>: it is a host address of the subnet other than the server's; it is
    /// either reserved for this client or an unreserved pool address; no other client holds an offer
    /// of it; and no other client's lease (or a quarantine) holds it — except that a client matching
    /// a reservation takes its address over from another identity of the same reservation (a
    /// dual-boot machine with one MAC and two client identifiers).
    /// </summary>
    private bool IsAvailableTo(IPAddress address, Client client, DateTimeOffset now)
    {
        if (!IsHostAddress(address))
        {
            return false;
        }

        Dhcp4Reservation? reserved = _reservedByAddress.GetValueOrDefault(address);
        if (reserved is not null ? !ReferenceEquals(reserved, client.Reservation) : _config.Pool?.Contains(address) != true)
        {
            return false;
        }

        if (OfferAt(address, now) is { } offer && offer.ClientKey != client.Key)
        {
            return false;
        }

        if (_leases.FindByAddress(address) is { } held && held.ClientKey != client.Key && held.IsActive(now))
        {
            return reserved is not null && held.ClientKey is not null && Matches(held, reserved);
        }

        return true;
    }

    /// <summary>
    /// <see cref="IsAvailableTo"/>, and the client's reservation, when it has one, does not name
    /// another address that is available to it: such a client is steered to its reserved address.
    /// </summary>
    private bool Suits(IPAddress address, Client client, DateTimeOffset now) =>
        IsAvailableTo(address, client, now) &&
        !(client.Reservation is { } r && !r.Address.Equals(address) && IsAvailableTo(r.Address, client, now));

    /// <summary>True when no other client's lease names the address: never used, a quarantine that ended, or the client's own.</summary>
    private bool IsUnclaimedFor(IPAddress address, Client client) =>
        _leases.FindByAddress(address) is not { ClientKey: { } owner } || owner == client.Key;

    private bool IsHostAddress(IPAddress address)
    {
        if (!_config.Subnet.Contains(address) || address.Equals(_config.ServerAddress))
        {
            return false;
        }

        return _config.Subnet.PrefixLength >= 31 ||
            (!address.Equals(_config.Subnet.BaseAddress) && !address.Equals(Ipv4Number.Broadcast(_config.Subnet)));
    }

    private static bool Matches(Dhcp4Lease holder, Dhcp4Reservation reservation) =>
        (reservation.Mac is { Length: > 0 } mac && mac == holder.HardwareAddress) ||
        (reservation.ClientId is { Length: > 0 } id && holder.ClientKey?.Bytes == id);

    private Dhcp4Lease? OfferFor(Dhcp4ClientKey client, DateTimeOffset now) =>
        _offersByClient.TryGetValue(client, out Dhcp4Lease? offer) && offer.IsActive(now) ? offer : null;

    private Dhcp4Lease? OfferAt(IPAddress address, DateTimeOffset now) =>
        _offersByAddress.TryGetValue(address, out Dhcp4Lease? offer) && offer.IsActive(now) ? offer : null;

    /// <summary>Holds <paramref name="offer"/>, replacing the client's earlier offer and any lapsed offer of the address.</summary>
    private void Hold(Dhcp4Lease offer)
    {
        Dhcp4ClientKey key = offer.ClientKey!.Value;
        ForgetOffers(key, offer.Address);
        _offersByAddress[offer.Address] = offer;
        _offersByClient[key] = offer;
    }

    /// <summary>Drops the client's offer, and any offer of <paramref name="address"/> (which can only be lapsed or the client's).</summary>
    private void ForgetOffers(Dhcp4ClientKey client, IPAddress? address)
    {
        if (_offersByClient.TryGetValue(client, out Dhcp4Lease? mine))
        {
            DropOffer(mine);
        }

        if (address is not null && _offersByAddress.TryGetValue(address, out Dhcp4Lease? there))
        {
            DropOffer(there);
        }
    }

    private void DropOffer(Dhcp4Lease offer)
    {
        if (_offersByAddress.TryGetValue(offer.Address, out Dhcp4Lease? held) && ReferenceEquals(held, offer))
        {
            _offersByAddress.Remove(offer.Address);
        }

        if (offer.ClientKey is { } key && _offersByClient.TryGetValue(key, out Dhcp4Lease? current) && ReferenceEquals(current, offer))
        {
            _offersByClient.Remove(key);
        }
    }
}
