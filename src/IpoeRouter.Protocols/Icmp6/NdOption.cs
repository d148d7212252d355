using System.Net;
using IpoeRouter.Protocols.Dhcp6;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Protocols.Icmp6;

/// <summary>
/// A Neighbor Discovery option (RFC 4861 §4.6): type, length in units of 8 bytes (header
/// included), body. A length of 0 is invalid.
/// </summary>
public abstract record NdOption
{
    /// <summary>The option type.</summary>
    public abstract byte Type { get; }

    /// <summary>Writes the body; the whole option must come to a multiple of 8 bytes.</summary>
    protected abstract void WriteBody(WireWriter w);

    /// <summary>
    /// Reads a run of options (as an RA carries them, or as the kernel passes them up in
    /// <c>RTM_NEWNDUSEROPT</c>); an unknown type is kept as <see cref="RawNdOption"/>.
    /// </summary>
    public static IReadOnlyList<NdOption> ParseList(ReadOnlySpan<byte> options)
    {
        var r = new WireReader(options);
        return NdCodec.ParseOptions(ref r);
    }

    /// <summary>Writes type, length and body, padding the body with zeros to a multiple of 8.</summary>
    public void WriteTo(WireWriter w)
    {
        var body = new WireWriter();
        WriteBody(body);
        int total = 2 + body.Length;
        int padded = (total + 7) / 8 * 8;
        w.WriteByte(Type);
        w.WriteByte(checked((byte)(padded / 8)));
        w.WriteBytes(body.Written);
        w.WriteBytes(new byte[padded - total]);
    }
}

/// <summary>Source/Target Link-Layer Address (RFC 4861 §4.6.1), types 1 and 2.</summary>
public sealed record LinkLayerAddressOption(byte OptionType, ByteString Address) : NdOption
{
    /// <inheritdoc/>
    public override byte Type => OptionType;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w) => w.WriteBytes(Address.Span);
}

/// <summary>Prefix Information (RFC 4861 §4.6.2), type 3: what SLAAC builds addresses from.</summary>
public sealed record PrefixInformationOption(byte PrefixLength, bool OnLink, bool Autonomous, uint ValidLifetime, uint PreferredLifetime, IPAddress Prefix) : NdOption
{
    /// <inheritdoc/>
    public override byte Type => 3;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w)
    {
        w.WriteByte(PrefixLength);
        w.WriteByte((byte)((OnLink ? 0x80 : 0) | (Autonomous ? 0x40 : 0)));
        w.WriteUInt32(ValidLifetime);
        w.WriteUInt32(PreferredLifetime);
        w.WriteUInt32(0); // reserved
        w.WriteIPv6(Prefix);
    }
}

/// <summary>MTU (RFC 4861 §4.6.4), type 5.</summary>
public sealed record MtuOption(uint Mtu) : NdOption
{
    /// <inheritdoc/>
    public override byte Type => 5;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w)
    {
        w.WriteUInt16(0);
        w.WriteUInt32(Mtu);
    }
}

/// <summary>Route Information (RFC 4191 §2.3), type 24: a more specific route through this router.</summary>
public sealed record RouteInformationOption(byte PrefixLength, RouterPreference Preference, uint RouteLifetime, IPAddress Prefix) : NdOption
{
    /// <inheritdoc/>
    public override byte Type => 24;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w)
    {
        w.WriteByte(PrefixLength);
        w.WriteByte((byte)(((int)Preference & 0x3) << 3));
        w.WriteUInt32(RouteLifetime);
        Span<byte> prefix = stackalloc byte[16];
        Prefix.TryWriteBytes(prefix, out _);
        w.WriteBytes(prefix[..RouteInformationLength(PrefixLength)]);
    }

    /// <summary>How many prefix bytes the option carries for a prefix length: 0, 8 or 16 (RFC 4191 §2.3).</summary>
    internal static int RouteInformationLength(int prefixLength) => prefixLength == 0 ? 0 : prefixLength <= 64 ? 8 : 16;
}

/// <summary>Recursive DNS Server (RFC 8106 §5.1), type 25.</summary>
public sealed record RdnssOption(uint Lifetime, IReadOnlyList<IPAddress> Servers) : NdOption
{
    /// <inheritdoc/>
    public override byte Type => 25;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w)
    {
        w.WriteUInt16(0);
        w.WriteUInt32(Lifetime);
        foreach (IPAddress s in Servers)
        {
            w.WriteIPv6(s);
        }
    }
}

/// <summary>DNS Search List (RFC 8106 §5.2), type 31: names in DNS wire format, padded with zeros.</summary>
public sealed record DnsslOption(uint Lifetime, IReadOnlyList<string> Domains) : NdOption
{
    /// <inheritdoc/>
    public override byte Type => 31;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w)
    {
        w.WriteUInt16(0);
        w.WriteUInt32(Lifetime);
        foreach (string d in Domains)
        {
            DomainName.Write(w, d);
        }
    }
}

/// <summary>Any other ND option, body kept as it came (padding included).</summary>
public sealed record RawNdOption(byte RawType, ByteString Body) : NdOption
{
    /// <inheritdoc/>
    public override byte Type => RawType;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w) => w.WriteBytes(Body.Span);
}

/// <summary>Default router / route preference (RFC 4191 §2.1): 2-bit signed.</summary>
public enum RouterPreference
{
    /// <summary>00.</summary>
    Medium = 0,

    /// <summary>01.</summary>
    High = 1,

    /// <summary>10: reserved; receivers treat it as medium.</summary>
    Reserved = 2,

    /// <summary>11.</summary>
    Low = 3,
}
