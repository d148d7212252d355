using System.Text;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Protocols.Dhcp4;

/// <summary>
/// Walks the DHCPv4 options field with bounds checks and decodes the options this build knows; any
/// other code is kept raw. PAD is skipped; END stops the walk, and the end of the data counts as
/// END. Instances of the same code are concatenated before decoding, wherever they stand (RFC 3396),
/// and the option takes the place of the first. Every error names the field and its offset in
/// the packet, also inside an option that came in several instances.
/// </summary>
public static class Dhcp4OptionParser
{
    /// <summary>
    /// Reads the options in <paramref name="data"/>, whose first byte is at
    /// <paramref name="baseOffset"/> in the packet, up to END or the end of the data. Bytes after
    /// END are padding and are not read.
    /// </summary>
    public static List<Dhcp4Option> ParseAll(ReadOnlySpan<byte> data, int baseOffset)
    {
        var groups = new List<Instances>();
        Span<int> groupOf = stackalloc int[256];
        groupOf.Fill(-1);
        var r = new WireReader(data, baseOffset);
        while (!r.End)
        {
            int at = r.Offset;
            byte code = r.ReadByte("option code");
            if (code == Dhcp4OptionCode.Pad)
            {
                continue;
            }

            if (code == Dhcp4OptionCode.End)
            {
                break;
            }

            byte length = r.ReadByte("option length");
            if (length > r.Remaining)
            {
                WireReader.Throw($"option {code}", at, $"length {length} runs past the end ({r.Remaining} byte(s) left)");
            }

            if (groupOf[code] < 0)
            {
                groupOf[code] = groups.Count;
                groups.Add(new Instances(code, []));
            }

            groups[groupOf[code]].Pieces.Add(new Piece(r.Position, length));
            r.ReadBytes(length, "option data");
        }

        var options = new List<Dhcp4Option>(groups.Count);
        foreach (Instances g in groups)
        {
            options.Add(g.Pieces.Count == 1 ? Parse(g.Code, data.Slice(g.Pieces[0].Index, g.Pieces[0].Length), baseOffset + g.Pieces[0].Index) : ParseConcatenated(g, data, baseOffset));
        }

        return options;
    }

    /// <summary>
    /// Decodes the concatenation of an option's instances (RFC 3396). Its reader counts offsets
    /// as if the instances were contiguous from the first; an error is rethrown with the offset
    /// moved to the instance that holds the byte.
    /// </summary>
    private static Dhcp4Option ParseConcatenated(Instances g, ReadOnlySpan<byte> data, int baseOffset)
    {
        var joined = new WireWriter();
        foreach (Piece p in g.Pieces)
        {
            joined.WriteBytes(data.Slice(p.Index, p.Length));
        }

        int first = baseOffset + g.Pieces[0].Index;
        try
        {
            return Parse(g.Code, joined.Written, first);
        }
        catch (WireFormatException e)
        {
            int packetOffset = InPacket(g.Pieces, e.Offset - first, baseOffset);
            throw new WireFormatException(e.Field, packetOffset, $"{e.Problem} (byte {e.Offset - first} of option {g.Code}'s {g.Pieces.Count} concatenated instances)");
        }
    }

    /// <summary>Where byte <paramref name="position"/> of the concatenated data lies in the packet (the end of the last instance for the end).</summary>
    private static int InPacket(List<Piece> pieces, int position, int baseOffset)
    {
        foreach (Piece p in pieces)
        {
            if (position < p.Length)
            {
                return baseOffset + p.Index + position;
            }

            position -= p.Length;
        }

        Piece last = pieces[^1];
        return baseOffset + last.Index + last.Length + position;
    }

    private static Dhcp4Option Parse(byte code, ReadOnlySpan<byte> body, int bodyOffset)
    {
        var r = new WireReader(body, bodyOffset);
        Dhcp4Option option = code switch
        {
            Dhcp4OptionCode.SubnetMask => new SubnetMaskOption(Ipv4Field.Read(ref r, "subnet mask")),
            Dhcp4OptionCode.Router => new RouterOption(Ipv4Field.ReadList(ref r, "router")),
            Dhcp4OptionCode.DomainNameServer => new DomainNameServerOption(Ipv4Field.ReadList(ref r, "domain name server")),
            Dhcp4OptionCode.HostName => new HostNameOption(Encoding.Latin1.GetString(r.ReadRest())),
            Dhcp4OptionCode.DomainName => new DomainNameOption(Encoding.Latin1.GetString(r.ReadRest())),
            Dhcp4OptionCode.NtpServers => new NtpServersOption(Ipv4Field.ReadList(ref r, "NTP server")),
            Dhcp4OptionCode.RequestedIpAddress => new RequestedIpAddressOption(Ipv4Field.Read(ref r, "requested IP address")),
            Dhcp4OptionCode.LeaseTime => new LeaseTimeOption(r.ReadUInt32("lease time")),
            Dhcp4OptionCode.OptionOverload => ParseOverload(ref r),
            Dhcp4OptionCode.MessageType => new MessageTypeOption((Dhcp4MessageType)r.ReadByte("message type")),
            Dhcp4OptionCode.ServerIdentifier => new ServerIdentifierOption(Ipv4Field.Read(ref r, "server identifier")),
            Dhcp4OptionCode.ParameterRequestList => new ParameterRequestListOption(r.ReadRest().ToArray()),
            Dhcp4OptionCode.RenewalTime => new RenewalTimeOption(r.ReadUInt32("renewal (T1) time")),
            Dhcp4OptionCode.RebindingTime => new RebindingTimeOption(r.ReadUInt32("rebinding (T2) time")),
            Dhcp4OptionCode.ClientIdentifier => new ClientIdentifierOption(r.ReadByte("client identifier type"), new ByteString(r.ReadRest().ToArray())),
            Dhcp4OptionCode.DomainSearch => new DomainSearchOption(CompressedDomainName.ReadList(r.ReadRest(), bodyOffset)),
            Dhcp4OptionCode.ClasslessStaticRoute => ClasslessStaticRouteOption.Read(ref r),
            _ => new RawDhcp4Option(code, new ByteString(r.ReadRest().ToArray())),
        };
        r.ExpectEnd($"option {code}");
        return option;
    }

    private static OptionOverloadOption ParseOverload(ref WireReader r)
    {
        int at = r.Offset;
        byte value = r.ReadByte("option overload");
        if (value is < (byte)Dhcp4OptionOverload.File or > (byte)Dhcp4OptionOverload.Both)
        {
            WireReader.Throw("option overload", at, $"{value} is not 1 (file), 2 (sname) or 3 (both)");
        }

        return new OptionOverloadOption((Dhcp4OptionOverload)value);
    }

    /// <summary>One instance of an option: where its data starts in the options field, and how long it is.</summary>
    private readonly record struct Piece(int Index, int Length);

    /// <summary>The instances of one code, in the order they came.</summary>
    private sealed record Instances(byte Code, List<Piece> Pieces);
}
