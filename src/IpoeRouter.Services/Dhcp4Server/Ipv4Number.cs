using System.Buffers.Binary;
using System.Net;

namespace IpoeRouter.Services.Dhcp4Server;

/// <summary>IPv4 addresses as 32-bit numbers in host order, for ranges, masks and "the lowest free".</summary>
internal static class Ipv4Number
{
    /// <summary>The address as a number (a.b.c.d → a·2²⁴ + b·2¹⁶ + c·2⁸ + d).</summary>
    public static uint From(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        if (!address.TryWriteBytes(bytes, out int written) || written != 4)
        {
            throw new ArgumentException($"{address} is not an IPv4 address.", nameof(address));
        }

        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    /// <summary>The address of a number.</summary>
    public static IPAddress To(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }

    /// <summary>The subnet mask of a prefix length (24 → 255.255.255.0).</summary>
    public static IPAddress Mask(int prefixLength) => To(prefixLength == 0 ? 0 : uint.MaxValue << (32 - prefixLength));

    /// <summary>The subnet's broadcast address (all host bits set).</summary>
    public static IPAddress Broadcast(IPNetwork subnet) =>
        To(From(subnet.BaseAddress) | (subnet.PrefixLength == 32 ? 0 : uint.MaxValue >> subnet.PrefixLength));

    /// <summary>True for the unspecified address 0.0.0.0.</summary>
    public static bool IsZero(IPAddress address) => address.Equals(IPAddress.Any);
}
