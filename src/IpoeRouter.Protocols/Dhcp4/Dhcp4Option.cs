using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Protocols.Dhcp4;

/// <summary>
/// A DHCPv4 option (RFC 2132 §2): 8-bit code, 8-bit length, body. A body longer than 255 bytes is
/// written as several instances of the same code, each at most 255 bytes, which the receiver
/// concatenates (RFC 3396); so a message carries at most one option per code.
/// </summary>
public abstract record Dhcp4Option
{
    /// <summary>The most one instance of an option holds.</summary>
    public const int MaxInstanceLength = 255;

    /// <summary>The option code (never <see cref="Dhcp4OptionCode.Pad"/> or <see cref="Dhcp4OptionCode.End"/>).</summary>
    public abstract byte Code { get; }

    /// <summary>Writes the body (without code and length), all of it, however long.</summary>
    protected abstract void WriteBody(WireWriter w);

    /// <summary>The encoded body (the concatenation of all instances' data).</summary>
    public byte[] GetBody()
    {
        var body = new WireWriter();
        WriteBody(body);
        return body.ToArray();
    }

    /// <summary>
    /// Writes the option: one instance, or, when the body is longer than 255 bytes, as many
    /// instances of 255 bytes as fit followed by one with the rest (RFC 3396).
    /// </summary>
    public void WriteTo(WireWriter w)
    {
        ReadOnlySpan<byte> body = GetBody();
        do
        {
            int n = Math.Min(body.Length, MaxInstanceLength);
            w.WriteByte(Code);
            w.WriteByte((byte)n);
            w.WriteBytes(body[..n]);
            body = body[n..];
        }
        while (!body.IsEmpty);
    }

    /// <summary>
    /// Writes a list of options. Two options with the same code, or the codes of PAD and END, cannot
    /// be written: a receiver would concatenate the first (RFC 3396) and misread the second.
    /// </summary>
    internal static void WriteAll(WireWriter w, IReadOnlyList<Dhcp4Option> options)
    {
        Span<bool> seen = stackalloc bool[256];
        foreach (Dhcp4Option o in options)
        {
            if (o.Code is Dhcp4OptionCode.Pad or Dhcp4OptionCode.End)
            {
                throw new InvalidOperationException($"Option code {o.Code} is PAD or END and carries no data.");
            }

            if (seen[o.Code])
            {
                throw new InvalidOperationException($"Option {o.Code} appears twice; receivers would concatenate the two (RFC 3396). Put its data in one option.");
            }

            seen[o.Code] = true;
            o.WriteTo(w);
        }
    }
}

/// <summary>
/// An option this build does not interpret, its data kept byte for byte. An unknown option that
/// came split in several instances holds their concatenation and is written back split at 255.
/// </summary>
public sealed record RawDhcp4Option(byte RawCode, ByteString Data) : Dhcp4Option
{
    /// <inheritdoc/>
    public override byte Code => RawCode;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w) => w.WriteBytes(Data.Span);
}
