using System.Net;
using IpoeRouter.Protocols.Dhcp4;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Services.Dhcp4Server;

/// <summary>Where an address stands with the server.</summary>
public enum Dhcp4LeaseState
{
    /// <summary>Offered and held for the client until the offer's hold time ends; kept in memory only, never persisted.</summary>
    Offered,

    /// <summary>Acknowledged: the client holds the address until <see cref="Dhcp4Lease.Expiry"/>.</summary>
    Bound,

    /// <summary>A client found the address in use (DHCPDECLINE): nobody gets it until <see cref="Dhcp4Lease.Expiry"/>.</summary>
    Declined,

    /// <summary>The client gave the address back (DHCPRELEASE); it is free, but kept for that client while others are free.</summary>
    Released,

    /// <summary>The lease ran out; the address is free, but kept for its last client while others are free.</summary>
    Expired,
}

/// <summary>
/// Who a client is to the server (RFC 2131 §4.2): the body of its Client-identifier option 61
/// (type byte and identifier) when it sends one, else its <c>htype</c> followed by <c>chaddr</c>.
/// An Ethernet client that sends option 61 of type 1 with its MAC has the same key either way.
/// </summary>
/// <param name="Bytes">The key's bytes.</param>
public readonly record struct Dhcp4ClientKey(ByteString Bytes)
{
    /// <summary>The key of the client that sent <paramref name="request"/>; null when it has neither option 61 nor <c>chaddr</c>.</summary>
    public static Dhcp4ClientKey? Of(Dhcp4Message request)
    {
        if (request.Find<ClientIdentifierOption>() is { Identifier.Length: > 0 } id)
        {
            return new Dhcp4ClientKey(new ByteString([id.Type, .. id.Identifier.Span]));
        }

        return request.HardwareAddress.Length == 0 ? null : new Dhcp4ClientKey(new ByteString([request.HardwareType, .. request.HardwareAddress.Span]));
    }

    /// <summary>Lower-case hex with colons.</summary>
    public override string ToString() => Bytes.ToString();
}

/// <summary>
/// What the server knows of one address: who holds it (or held it last), in which state, and
/// until when. At most one lease per address and one per client key.
/// </summary>
/// <param name="Address">The leased address.</param>
/// <param name="ClientKey">The client's key; null for a quarantined (<see cref="Dhcp4LeaseState.Declined"/>) address, which belongs to nobody.</param>
/// <param name="HardwareAddress">The client's MAC (<c>chaddr</c>); for a declined address, the MAC of the client that declined it.</param>
/// <param name="HostName">The reservation's host name, else the name the client sent in option 12, else null.</param>
/// <param name="State">Where the address stands.</param>
/// <param name="Expiry">
/// When a <see cref="Dhcp4LeaseState.Bound"/> lease or an <see cref="Dhcp4LeaseState.Offered"/> hold ends,
/// when a <see cref="Dhcp4LeaseState.Declined"/> quarantine ends, or when the address was released or expired.
/// </param>
public sealed record Dhcp4Lease(IPAddress Address, Dhcp4ClientKey? ClientKey, ByteString HardwareAddress, string? HostName, Dhcp4LeaseState State, DateTimeOffset Expiry)
{
    /// <summary>
    /// True while the address is taken at <paramref name="now"/>: an offer on hold, a bound lease or
    /// a quarantine that has not ended. Released and expired addresses are not taken.
    /// </summary>
    public bool IsActive(DateTimeOffset now) => (State is Dhcp4LeaseState.Offered or Dhcp4LeaseState.Bound or Dhcp4LeaseState.Declined) && now < Expiry;
}

/// <summary>
/// One change to the lease table that the host must make durable before it sends the reply that
/// goes with it: the record of <paramref name="Address"/> is now <paramref name="Lease"/>, or is
/// deleted when <paramref name="Lease"/> is null. Changes apply in order.
/// </summary>
/// <param name="Address">The address whose record changes.</param>
/// <param name="Lease">The new record, or null: the address has no record any more.</param>
public sealed record Dhcp4LeaseChange(IPAddress Address, Dhcp4Lease? Lease);
