using System.Net;
using IpoeRouter.Protocols.Dhcp6;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Protocols.Icmp6;

/// <summary>
/// A Router Advertisement (RFC 4861 §4.2, ICMPv6 type 134), without the checksum (the kernel fills
/// it in for raw ICMPv6 sockets): hop limit, M and O flags, preference, router lifetime, reachable
/// time, retransmission timer, options.
/// </summary>
public sealed record RouterAdvertisement(byte CurHopLimit, bool Managed, bool Other, RouterPreference Preference, ushort RouterLifetime,
    uint ReachableTime, uint RetransTimer, IReadOnlyList<NdOption> Options)
{
    /// <summary>ICMPv6 type.</summary>
    public const byte IcmpType = 134;

    /// <summary>Reads an RA (starting at the ICMPv6 type byte).</summary>
    public static RouterAdvertisement Parse(ReadOnlySpan<byte> packet)
    {
        var r = new WireReader(packet);
        NdCodec.ExpectHeader(ref r, IcmpType);
        byte hop = r.ReadByte("cur hop limit");
        byte flags = r.ReadByte("flags");
        ushort lifetime = r.ReadUInt16("router lifetime");
        uint reachable = r.ReadUInt32("reachable time");
        uint retrans = r.ReadUInt32("retrans timer");
        return new RouterAdvertisement(hop, (flags & 0x80) != 0, (flags & 0x40) != 0, (RouterPreference)((flags >> 3) & 0x3), lifetime, reachable, retrans, NdCodec.ParseOptions(ref r));
    }

    /// <summary>The encoded RA (checksum 0).</summary>
    public byte[] ToArray()
    {
        var w = new WireWriter();
        w.WriteByte(IcmpType);
        w.WriteByte(0);
        w.WriteUInt16(0);
        w.WriteByte(CurHopLimit);
        w.WriteByte((byte)((Managed ? 0x80 : 0) | (Other ? 0x40 : 0) | (((int)Preference & 0x3) << 3)));
        w.WriteUInt16(RouterLifetime);
        w.WriteUInt32(ReachableTime);
        w.WriteUInt32(RetransTimer);
        foreach (NdOption o in Options)
        {
            o.WriteTo(w);
        }

        return w.ToArray();
    }
}

/// <summary>A Router Solicitation (RFC 4861 §4.1, ICMPv6 type 133).</summary>
public sealed record RouterSolicitation(IReadOnlyList<NdOption> Options)
{
    /// <summary>ICMPv6 type.</summary>
    public const byte IcmpType = 133;

    /// <summary>Reads an RS.</summary>
    public static RouterSolicitation Parse(ReadOnlySpan<byte> packet)
    {
        var r = new WireReader(packet);
        NdCodec.ExpectHeader(ref r, IcmpType);
        r.ReadUInt32("reserved");
        return new RouterSolicitation(NdCodec.ParseOptions(ref r));
    }

    /// <summary>The encoded RS (checksum 0).</summary>
    public byte[] ToArray()
    {
        var w = new WireWriter();
        w.WriteByte(IcmpType);
        w.WriteByte(0);
        w.WriteUInt16(0);
        w.WriteUInt32(0);
        foreach (NdOption o in Options)
        {
            o.WriteTo(w);
        }

        return w.ToArray();
    }
}

/// <summary>The shared parts of ND message decoding.</summary>
internal static class NdCodec
{
    public static void ExpectHeader(ref WireReader r, byte type)
    {
        byte t = r.ReadByte("ICMPv6 type");
        if (t != type)
        {
            WireReader.Throw("ICMPv6 type", 0, $"{t}, expected {type}");
        }

        if (r.ReadByte("ICMPv6 code") != 0)
        {
            WireReader.Throw("ICMPv6 code", 1, "must be 0 for Neighbor Discovery");
        }

        r.ReadUInt16("checksum");
    }

    public static List<NdOption> ParseOptions(ref WireReader r)
    {
        var options = new List<NdOption>();
        while (!r.End)
        {
            int at = r.Offset;
            byte type = r.ReadByte("option type");
            byte units = r.ReadByte("option length");
            if (units == 0)
            {
                WireReader.Throw($"option {type}", at, "length 0 (RFC 4861 §4.6: the packet must be discarded)");
            }

            int bodyLength = (units * 8) - 2;
            if (bodyLength > r.Remaining)
            {
                WireReader.Throw($"option {type}", at, $"length {units * 8} runs past the end");
            }

            var body = new WireReader(r.ReadBytes(bodyLength, "option body"), at + 2);
            options.Add(Parse(type, ref body, at));
        }

        return options;
    }

    private static NdOption Parse(byte type, ref WireReader r, int at)
    {
        switch (type)
        {
            case 1 or 2:
                return new LinkLayerAddressOption(type, new ByteString(r.ReadRest().ToArray()));
            case 3:
                Require(ref r, 30, type, at);
                byte length = r.ReadByte("prefix length");
                byte flags = r.ReadByte("prefix flags");
                uint valid = r.ReadUInt32("valid lifetime");
                uint preferred = r.ReadUInt32("preferred lifetime");
                r.ReadUInt32("reserved");
                IPAddress prefix = r.ReadIPv6("prefix");
                return new PrefixInformationOption(length, (flags & 0x80) != 0, (flags & 0x40) != 0, valid, preferred, prefix);
            case 5:
                Require(ref r, 6, type, at);
                r.ReadUInt16("reserved");
                return new MtuOption(r.ReadUInt32("MTU"));
            case 24:
                byte routeLength = r.ReadByte("route prefix length");
                if (routeLength > 128 || r.Remaining - 5 < RouteInformationOption.RouteInformationLength(routeLength))
                {
                    WireReader.Throw("route information", at, $"prefix length {routeLength} does not fit the option length");
                }

                byte routeFlags = r.ReadByte("route flags");
                uint routeLifetime = r.ReadUInt32("route lifetime");
                if (r.Remaining > 16)
                {
                    WireReader.Throw("route information", at, $"{r.Remaining} prefix bytes, at most 16");
                }

                byte[] bytes = new byte[16];
                r.ReadRest().CopyTo(bytes);
                return new RouteInformationOption(routeLength, (RouterPreference)((routeFlags >> 3) & 0x3), routeLifetime, new IPAddress(bytes));
            case 25:
                r.ReadUInt16("reserved");
                uint rdnssLifetime = r.ReadUInt32("RDNSS lifetime");
                if (r.Remaining == 0 || r.Remaining % 16 != 0)
                {
                    WireReader.Throw("RDNSS", at, "needs one or more addresses (RFC 8106: length 3 or more, odd)");
                }

                var servers = new List<IPAddress>();
                while (!r.End)
                {
                    servers.Add(r.ReadIPv6("RDNSS address"));
                }

                return new RdnssOption(rdnssLifetime, servers);
            case 31:
                r.ReadUInt16("reserved");
                uint dnsslLifetime = r.ReadUInt32("DNSSL lifetime");
                int namesAt = r.Offset;
                ReadOnlySpan<byte> rest = r.ReadRest();
                var names = new WireReader(rest, namesAt);
                var domains = new List<string>();
                while (!names.End && rest[names.Position] != 0)
                {
                    domains.Add(DomainName.Read(ref names));
                }

                if (rest[names.Position..].IndexOfAnyExcept((byte)0) >= 0)
                {
                    WireReader.Throw("DNSSL padding", names.Offset, "non-zero bytes after the last name");
                }

                return new DnsslOption(dnsslLifetime, domains);
            default:
                return new RawNdOption(type, new ByteString(r.ReadRest().ToArray()));
        }
    }

    private static void Require(ref WireReader r, int length, byte type, int at)
    {
        if (r.Remaining < length)
        {
            WireReader.Throw($"option {type}", at, $"body of {r.Remaining} byte(s), needs {length}");
        }
    }
}
