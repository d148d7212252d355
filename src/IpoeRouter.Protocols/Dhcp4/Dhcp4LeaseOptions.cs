using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Protocols.Dhcp4;

/// <summary>DHCP Message Type (RFC 2132 §9.6), option 53: which DHCP message this BOOTP packet is.</summary>
public sealed record MessageTypeOption(Dhcp4MessageType Type) : Dhcp4Option
{
    /// <inheritdoc/>
    public override byte Code => Dhcp4OptionCode.MessageType;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w) => w.WriteByte((byte)Type);
}

/// <summary>IP Address Lease Time (RFC 2132 §9.2), option 51, seconds; 0xffffffff is infinite.</summary>
public sealed record LeaseTimeOption(uint Seconds) : Dhcp4Option
{
    /// <summary>0xffffffff: a lease that does not expire.</summary>
    public const uint Infinite = uint.MaxValue;

    /// <inheritdoc/>
    public override byte Code => Dhcp4OptionCode.LeaseTime;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w) => w.WriteUInt32(Seconds);
}

/// <summary>Renewal (T1) Time Value (RFC 2132 §9.11), option 58, seconds until the client renews with its server.</summary>
public sealed record RenewalTimeOption(uint Seconds) : Dhcp4Option
{
    /// <inheritdoc/>
    public override byte Code => Dhcp4OptionCode.RenewalTime;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w) => w.WriteUInt32(Seconds);
}

/// <summary>Rebinding (T2) Time Value (RFC 2132 §9.12), option 59, seconds until the client rebinds with any server.</summary>
public sealed record RebindingTimeOption(uint Seconds) : Dhcp4Option
{
    /// <inheritdoc/>
    public override byte Code => Dhcp4OptionCode.RebindingTime;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w) => w.WriteUInt32(Seconds);
}

/// <summary>Parameter Request List (RFC 2132 §9.8), option 55: the option codes a client asks for, in its order of preference.</summary>
public sealed record ParameterRequestListOption(IReadOnlyList<byte> Codes) : Dhcp4Option
{
    /// <inheritdoc/>
    public override byte Code => Dhcp4OptionCode.ParameterRequestList;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w)
    {
        foreach (byte c in Codes)
        {
            w.WriteByte(c);
        }
    }
}

/// <summary>
/// Client-identifier (RFC 2132 §9.14), option 61: a type byte (a hardware type such as 1 for
/// Ethernet followed by the address, or 0 for anything else, or 255 for an RFC 4361 IAID and DUID)
/// and the identifier.
/// </summary>
public sealed record ClientIdentifierOption(byte Type, ByteString Identifier) : Dhcp4Option
{
    /// <summary>Type 1: an Ethernet address follows.</summary>
    public const byte Ethernet = 1;

    /// <inheritdoc/>
    public override byte Code => Dhcp4OptionCode.ClientIdentifier;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w)
    {
        w.WriteByte(Type);
        w.WriteBytes(Identifier.Span);
    }
}

/// <summary>
/// Option Overload (RFC 2132 §9.3), option 52: options continue in <c>file</c>, <c>sname</c> or
/// both. This codec keeps those fields raw and does not read options from them; the value is
/// reported in <see cref="Dhcp4Message.Overload"/>.
/// </summary>
public sealed record OptionOverloadOption(Dhcp4OptionOverload Value) : Dhcp4Option
{
    /// <inheritdoc/>
    public override byte Code => Dhcp4OptionCode.OptionOverload;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w) => w.WriteByte((byte)Value);
}
