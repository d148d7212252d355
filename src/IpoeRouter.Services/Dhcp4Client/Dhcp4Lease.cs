using System.Buffers.Binary;
using System.Net;

namespace IpoeRouter.Services.Dhcp4Client;

/// <summary>
/// The WAN's IPv4 lease as the client holds it (RFC 2131 §4.4.1): the address and its subnet, the
/// server that granted it, the configuration that came with it, and the lease timers as the client
/// applies them (T1/T2 already defaulted when the server sent none). A duration of
/// <see cref="TimeSpan.MaxValue"/> is infinite (0xffffffff on the wire).
/// </summary>
/// <param name="Address">The leased address (<c>yiaddr</c>).</param>
/// <param name="PrefixLength">The subnet's length, from the Subnet Mask option 1 (classful when the server sent none).</param>
/// <param name="ServerId">The granting server's identifier (option 54): RENEW and RELEASE are unicast to it.</param>
/// <param name="Routers">The Router option 3, recorded only: the WAN never gets an IPv4 default route from it, IPv4 to the internet goes through the DS-Lite tunnel.</param>
/// <param name="DnsServers">The Domain Name Server option 6, for the DNS forwarder.</param>
/// <param name="DomainName">The Domain Name option 15, or null.</param>
/// <param name="LeaseTime">The lease duration (option 51).</param>
/// <param name="T1">When RENEWING starts, counted from <paramref name="Acquired"/>.</param>
/// <param name="T2">When REBINDING starts, counted from <paramref name="Acquired"/>.</param>
/// <param name="Acquired">When the REQUEST that obtained or last extended the lease was first sent (RFC 2131 §4.4.1: the lease counts from then, not from the ACK).</param>
public sealed record Dhcp4Lease(
    IPAddress Address,
    byte PrefixLength,
    IPAddress ServerId,
    IReadOnlyList<IPAddress> Routers,
    IReadOnlyList<IPAddress> DnsServers,
    string? DomainName,
    TimeSpan LeaseTime,
    TimeSpan T1,
    TimeSpan T2,
    DateTimeOffset Acquired)
{
    /// <summary>The on-link subnet (the HGW's), for the route the engine installs with the address.</summary>
    public IPNetwork Subnet
    {
        get
        {
            uint address = BinaryPrimitives.ReadUInt32BigEndian(Address.GetAddressBytes());
            uint mask = PrefixLength == 0 ? 0 : uint.MaxValue << (32 - PrefixLength);
            byte[] network = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(network, address & mask);
            return new IPNetwork(new IPAddress(network), PrefixLength);
        }
    }

    /// <summary>When RENEWING starts (T1).</summary>
    public DateTimeOffset RenewAt => Add(Acquired, T1);

    /// <summary>When REBINDING starts (T2).</summary>
    public DateTimeOffset RebindAt => Add(Acquired, T2);

    /// <summary>When the lease ends (<see cref="DateTimeOffset.MaxValue"/> for an infinite one).</summary>
    public DateTimeOffset ExpiresAt => Add(Acquired, LeaseTime);

    /// <summary>How long the lease has left at <paramref name="now"/> (the valid lifetime to give the kernel's address; <see cref="TimeSpan.MaxValue"/> for infinite).</summary>
    public TimeSpan RemainingAt(DateTimeOffset now) =>
        LeaseTime == TimeSpan.MaxValue ? TimeSpan.MaxValue : ExpiresAt > now ? ExpiresAt - now : TimeSpan.Zero;

    /// <inheritdoc/>
    public override string ToString() => $"{Address}/{PrefixLength} from {ServerId}";

    internal static DateTimeOffset Add(DateTimeOffset start, TimeSpan span) =>
        span == TimeSpan.MaxValue || DateTimeOffset.MaxValue - start <= span ? DateTimeOffset.MaxValue : start + span;

    internal static TimeSpan FromWire(uint seconds) => seconds == uint.MaxValue ? TimeSpan.MaxValue : TimeSpan.FromSeconds(seconds);
}
