using System.Net;
using System.Net.Sockets;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Protocols.Dhcp4;

/// <summary>IPv4 addresses as 4 bytes in network order, through the cursor and the writer.</summary>
internal static class Ipv4Field
{
    /// <summary>Reads 4 bytes as an IPv4 address.</summary>
    public static IPAddress Read(ref WireReader r, string field) => new(r.ReadBytes(4, field));

    /// <summary>Writes an IPv4 address; anything else is a caller error.</summary>
    public static void Write(WireWriter w, IPAddress address, string name)
    {
        ArgumentNullException.ThrowIfNull(address, name);
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"{address} is not an IPv4 address.", name);
        }

        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        w.WriteBytes(bytes);
    }

    /// <summary>Reads a list of addresses that fills <paramref name="r"/>; its length must be a multiple of 4.</summary>
    public static List<IPAddress> ReadList(ref WireReader r, string field)
    {
        if (r.Remaining % 4 != 0)
        {
            WireReader.Throw(field, r.Offset, $"length {r.Remaining} is not a multiple of 4");
        }

        var addresses = new List<IPAddress>(r.Remaining / 4);
        while (!r.End)
        {
            addresses.Add(Read(ref r, field));
        }

        return addresses;
    }

    /// <summary>Writes a list of addresses.</summary>
    public static void WriteList(WireWriter w, IReadOnlyList<IPAddress> addresses, string name)
    {
        foreach (IPAddress a in addresses)
        {
            Write(w, a, name);
        }
    }
}
