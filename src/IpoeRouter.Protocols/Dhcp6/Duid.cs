using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Protocols.Dhcp6;

/// <summary>A DHCP unique identifier (RFC 8415 §11): its type, then type-specific bytes; at most 130 bytes in all.</summary>
public abstract record Duid
{
    /// <summary>The DUID type.</summary>
    public abstract ushort Type { get; }

    /// <summary>Writes the DUID (type included).</summary>
    public abstract void WriteTo(WireWriter w);

    /// <summary>The DUID as it goes on the wire (type included).</summary>
    public byte[] ToArray()
    {
        var w = new WireWriter();
        WriteTo(w);
        return w.ToArray();
    }

    /// <summary>The DUID's bytes as colon-separated hex, the way kea and dhcpcd print it (<c>00:03:00:01:02:00:0d:b8:00:01</c>).</summary>
    public string ToHex() => new ByteString(ToArray()).ToString();

    /// <summary>Reads a DUID that fills <paramref name="r"/>.</summary>
    public static Duid Parse(ref WireReader r)
    {
        if (r.Remaining > 130)
        {
            WireReader.Throw("DUID", r.Offset, $"{r.Remaining} bytes, at most 130");
        }

        ushort type = r.ReadUInt16("DUID type");
        switch (type)
        {
            case 1:
                ushort htLlt = r.ReadUInt16("DUID-LLT hardware type");
                uint time = r.ReadUInt32("DUID-LLT time");
                return new DuidLlt(htLlt, time, new ByteString(r.ReadRest().ToArray()));
            case 2:
                uint enterprise = r.ReadUInt32("DUID-EN enterprise number");
                return new DuidEn(enterprise, new ByteString(r.ReadRest().ToArray()));
            case 3:
                ushort htLl = r.ReadUInt16("DUID-LL hardware type");
                return new DuidLl(htLl, new ByteString(r.ReadRest().ToArray()));
            default:
                return new DuidRaw(type, new ByteString(r.ReadRest().ToArray()));
        }
    }
}

/// <summary>DUID-LL (type 3): hardware type and link-layer address. What the NGN without an HGW requires.</summary>
public sealed record DuidLl(ushort HardwareType, ByteString LinkLayerAddress) : Duid
{
    /// <summary>ARP hardware type 1: Ethernet.</summary>
    public const ushort Ethernet = 1;

    /// <inheritdoc/>
    public override ushort Type => 3;

    /// <inheritdoc/>
    public override void WriteTo(WireWriter w)
    {
        w.WriteUInt16(Type);
        w.WriteUInt16(HardwareType);
        w.WriteBytes(LinkLayerAddress.Span);
    }
}

/// <summary>DUID-LLT (type 1): hardware type, seconds since 2000-01-01 UTC, link-layer address.</summary>
public sealed record DuidLlt(ushort HardwareType, uint Time, ByteString LinkLayerAddress) : Duid
{
    /// <inheritdoc/>
    public override ushort Type => 1;

    /// <inheritdoc/>
    public override void WriteTo(WireWriter w)
    {
        w.WriteUInt16(Type);
        w.WriteUInt16(HardwareType);
        w.WriteUInt32(Time);
        w.WriteBytes(LinkLayerAddress.Span);
    }
}

/// <summary>DUID-EN (type 2): IANA enterprise number and an identifier.</summary>
public sealed record DuidEn(uint EnterpriseNumber, ByteString Identifier) : Duid
{
    /// <inheritdoc/>
    public override ushort Type => 2;

    /// <inheritdoc/>
    public override void WriteTo(WireWriter w)
    {
        w.WriteUInt16(Type);
        w.WriteUInt32(EnterpriseNumber);
        w.WriteBytes(Identifier.Span);
    }
}

/// <summary>Any other DUID type, kept as it came.</summary>
public sealed record DuidRaw(ushort RawType, ByteString Data) : Duid
{
    /// <inheritdoc/>
    public override ushort Type => RawType;

    /// <inheritdoc/>
    public override void WriteTo(WireWriter w)
    {
        w.WriteUInt16(Type);
        w.WriteBytes(Data.Span);
    }
}
