using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Protocols.Dhcp4;

/// <summary>One route of the Classless Static Route option: an IPv4 destination prefix and the router to reach it through.</summary>
/// <param name="Destination">The destination prefix; 0.0.0.0/0 is the default route.</param>
/// <param name="Router">The next hop; 0.0.0.0 means the destination is on the link (RFC 3442).</param>
public sealed record ClasslessRoute(IPNetwork Destination, IPAddress Router);

/// <summary>
/// Classless Static Route (RFC 3442), option 121: routes, each a destination descriptor (the
/// prefix width, 0–32, then only the significant bytes of the prefix, ⌈width/8⌉ of them) and a
/// 4-byte router. A client that receives it ignores the Router option 3 (RFC 3442), so a
/// server puts the default route in both.
/// </summary>
public sealed record ClasslessStaticRouteOption(IReadOnlyList<ClasslessRoute> Routes) : Dhcp4Option
{
    private const string WidthField = "classless route width";

    /// <inheritdoc/>
    public override byte Code => Dhcp4OptionCode.ClasslessStaticRoute;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w)
    {
        Span<byte> prefix = stackalloc byte[4];
        foreach (ClasslessRoute route in Routes)
        {
            IPAddress destination = route.Destination.BaseAddress;
            if (destination.AddressFamily != AddressFamily.InterNetwork)
            {
                throw new ArgumentException($"The destination {route.Destination} is not an IPv4 prefix.", nameof(Routes));
            }

            int width = route.Destination.PrefixLength;
            destination.TryWriteBytes(prefix, out _);
            w.WriteByte((byte)width);
            w.WriteBytes(prefix[..SignificantBytes(width)]);
            Ipv4Field.Write(w, route.Router, nameof(Routes));
        }
    }

    /// <summary>Reads routes until <paramref name="r"/> is exhausted; a width over 32 or bits set past it are errors at the width's offset.</summary>
    internal static ClasslessStaticRouteOption Read(ref WireReader r)
    {
        var routes = new List<ClasslessRoute>();
        Span<byte> prefix = stackalloc byte[4];
        while (!r.End)
        {
            int at = r.Offset;
            byte width = r.ReadByte(WidthField);
            if (width > 32)
            {
                WireReader.Throw(WidthField, at, $"{width} is more than 32");
            }

            prefix.Clear();
            r.ReadBytes(SignificantBytes(width), "classless route destination").CopyTo(prefix);
            uint hostBits = width == 32 ? 0 : uint.MaxValue >> width;
            if ((BinaryPrimitives.ReadUInt32BigEndian(prefix) & hostBits) != 0)
            {
                WireReader.Throw("classless route destination", at + 1, $"{new IPAddress(prefix)} has bits set past /{width}");
            }

            var network = new IPNetwork(new IPAddress(prefix), width);
            routes.Add(new ClasslessRoute(network, Ipv4Field.Read(ref r, "classless route router")));
        }

        return new ClasslessStaticRouteOption(routes);
    }

    /// <summary>How many bytes of the destination a width needs: ⌈width/8⌉.</summary>
    internal static int SignificantBytes(int width) => (width + 7) / 8;
}
