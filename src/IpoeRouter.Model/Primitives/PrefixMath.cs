using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Numerics;

namespace IpoeRouter.Model;

/// <summary>
/// Prefix arithmetic: masking, containment, and splitting a delegated prefix into /64 subnets
/// by subnet id (what wide-dhcpv6's <c>sla-id</c>/<c>sla-len</c> made people compute by hand).
/// </summary>
public static class PrefixMath
{
    /// <summary>32 for IPv4, 128 for IPv6.</summary>
    public static int MaxLength(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;

    /// <summary>How many /64 subnets a delegation of <paramref name="delegatedLength"/> holds (a /60: 16, a /56: 256).</summary>
    public static long SubnetCount(int delegatedLength) =>
        delegatedLength is < 0 or > 64 ? 0 : 1L << (64 - delegatedLength);

    /// <summary>The network of <paramref name="address"/> under a mask of <paramref name="length"/> bits.</summary>
    public static IPNetwork NetworkOf(IPAddress address, int length)
    {
        byte[] bytes = address.GetAddressBytes();
        for (int bit = length; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPNetwork(new IPAddress(bytes), length);
    }

    /// <summary>Parses a prefix in CIDR text; host bits must be zero (<c>2001:db8::/32</c>, not <c>2001:db8::1/32</c>).</summary>
    public static bool TryParsePrefix(string? text, out IPNetwork value)
    {
        value = default;
        if (!InterfaceAddress.TryParse(text, out InterfaceAddress? parsed))
        {
            return false;
        }

        IPNetwork network = NetworkOf(parsed.Address, parsed.PrefixLength);
        if (!network.BaseAddress.Equals(parsed.Address))
        {
            return false; // host bits set: that is an interface address, not a prefix
        }

        value = network;
        return true;
    }

    /// <summary>
    /// The /64 with <paramref name="subnetId"/> inside <paramref name="delegated"/>
    /// (<c>2001:db8:0:10::/60</c>, id 1 → <c>2001:db8:0:11::/64</c>).
    /// </summary>
    public static IPNetwork Subnet64(IPNetwork delegated, long subnetId)
    {
        if (delegated.BaseAddress.AddressFamily != AddressFamily.InterNetworkV6 || delegated.PrefixLength > 64)
        {
            throw new ArgumentException("A delegated prefix is an IPv6 prefix of at most 64 bits.", nameof(delegated));
        }

        if (subnetId < 0 || subnetId >= SubnetCount(delegated.PrefixLength))
        {
            throw new ArgumentOutOfRangeException(nameof(subnetId), subnetId, "The subnet id does not fit the delegated prefix.");
        }

        UInt128 value = ToUInt128(delegated.BaseAddress) | ((UInt128)(ulong)subnetId << 64);
        return new IPNetwork(FromUInt128(value), 64);
    }

    /// <summary>True when two prefixes share any address.</summary>
    public static bool Overlaps(IPNetwork a, IPNetwork b) =>
        a.BaseAddress.AddressFamily == b.BaseAddress.AddressFamily && (a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress));

    /// <summary>Joins a /64 with the interface identifier in the low 64 bits of <paramref name="host"/>.</summary>
    public static IPAddress WithHost(IPNetwork subnet64, IPAddress host)
    {
        UInt128 low = ToUInt128(host) & ulong.MaxValue;
        return FromUInt128(ToUInt128(subnet64.BaseAddress) | low);
    }

    /// <summary>True when only the low 64 bits of <paramref name="host"/> are set (an interface identifier such as <c>::1</c>).</summary>
    public static bool IsInterfaceIdentifier(IPAddress host) =>
        host.AddressFamily == AddressFamily.InterNetworkV6 && ToUInt128(host) >> 64 == 0 && ToUInt128(host) != 0 && host.ScopeId == 0;

    /// <summary>True for an address a host can have or be sent to: not unspecified, multicast or the IPv4 limited broadcast.</summary>
    public static bool IsUnicast(IPAddress a) =>
        !a.Equals(IPAddress.Any) && !a.Equals(IPAddress.IPv6Any) && !a.Equals(IPAddress.Broadcast)
        && !(a.AddressFamily == AddressFamily.InterNetworkV6 ? a.IsIPv6Multicast : (a.GetAddressBytes()[0] & 0xf0) == 0xe0);

    /// <summary>True for an IPv6 unicast address beyond the link: not link-local, loopback, IPv4-mapped, unspecified or multicast.</summary>
    public static bool IsGlobalUnicast6(IPAddress a) =>
        a.AddressFamily == AddressFamily.InterNetworkV6 && IsUnicast(a)
        && !a.IsIPv6LinkLocal && !a.Equals(IPAddress.IPv6Loopback) && !a.IsIPv4MappedToIPv6;

    /// <summary>An IPv4 address as a number, for range arithmetic.</summary>
    public static uint ToUInt32(IPAddress v4) =>
        BinaryPrimitivesBigEndian(v4.GetAddressBytes());

    /// <summary>An IPv6 address as a number.</summary>
    public static UInt128 ToUInt128(IPAddress v6)
    {
        Span<byte> b = stackalloc byte[16];
        if (!v6.TryWriteBytes(b, out int written) || written != 16)
        {
            throw new ArgumentException("Not an IPv6 address.", nameof(v6));
        }

        return new UInt128(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(b),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(b[8..]));
    }

    /// <summary>The IPv6 address with numeric value <paramref name="value"/>.</summary>
    public static IPAddress FromUInt128(UInt128 value)
    {
        Span<byte> b = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(b, (ulong)(value >> 64));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(b[8..], (ulong)value);
        return new IPAddress(b);
    }

    /// <summary>Canonical prefix text (<c>2001:db8::/32</c>).</summary>
    public static string Format(IPNetwork network) =>
        FormatAddress(network.BaseAddress) + "/" + network.PrefixLength.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Address text as RFC 5952 recommends: lower-case hex, the longest run of two or more zero
    /// groups shortened to <c>::</c>. Unlike <see cref="IPAddress.ToString()"/> it never writes the
    /// deprecated IPv4-compatible form (<c>::1:2</c>, not <c>::0.1.0.2</c>).
    /// </summary>
    public static string FormatAddress(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6 || address.IsIPv4MappedToIPv6)
        {
            return address.ToString();
        }

        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);
        Span<int> g = stackalloc int[8];
        for (int i = 0; i < 8; i++)
        {
            g[i] = (b[2 * i] << 8) | b[(2 * i) + 1];
        }

        int bestStart = -1, bestLength = 1;
        for (int i = 0; i < 8;)
        {
            int j = i;
            while (j < 8 && g[j] == 0)
            {
                j++;
            }

            if (j - i > bestLength)
            {
                (bestStart, bestLength) = (i, j - i);
            }

            i = j == i ? i + 1 : j;
        }

        var sb = new System.Text.StringBuilder(39);
        for (int i = 0; i < 8; i++)
        {
            if (i == bestStart)
            {
                sb.Append("::");
                i += bestLength - 1;
                continue;
            }

            if (sb.Length > 0 && sb[^1] != ':')
            {
                sb.Append(':');
            }

            sb.Append(g[i].ToString("x", CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    /// <summary>Parses a plain address without zone or prefix.</summary>
    public static bool TryParseAddress(string? text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (text is null || text.Contains('/', StringComparison.Ordinal) || text.Contains('%', StringComparison.Ordinal))
        {
            return false;
        }

        // IPAddress.TryParse accepts "1" or "1.2" as IPv4 shorthand; a router document means dotted quads.
        if (!text.Contains(':', StringComparison.Ordinal) && text.Count(c => c == '.') != 3)
        {
            return false;
        }

        return IPAddress.TryParse(text, out address);
    }

    private static uint BinaryPrimitivesBigEndian(byte[] bytes) =>
        bytes.Length == 4
            ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes)
            : throw new ArgumentException("Not an IPv4 address.", nameof(bytes));
}
