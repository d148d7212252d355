using System.Buffers.Binary;
using System.Net;

namespace IpoeRouter.Protocols.Wire;

/// <summary>
/// A growing big-endian writer. Length-prefixed containers (DHCPv6 options, whose length follows
/// their code) are written with a token from <see cref="BeginOption"/> whose length
/// <see cref="EndOption"/> back-patches.
/// </summary>
public sealed class WireWriter
{
    private byte[] _buffer = new byte[256];

    /// <summary>Bytes written.</summary>
    public int Length { get; private set; }

    /// <summary>The bytes written.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

    /// <summary>One byte.</summary>
    public void WriteByte(byte value) => Reserve(1)[0] = value;

    /// <summary>A big-endian u16.</summary>
    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Reserve(2), value);

    /// <summary>A big-endian u24.</summary>
    public void WriteUInt24(int value)
    {
        Span<byte> b = Reserve(3);
        b[0] = (byte)(value >> 16);
        b[1] = (byte)(value >> 8);
        b[2] = (byte)value;
    }

    /// <summary>A big-endian u32.</summary>
    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Reserve(4), value);

    /// <summary>Raw bytes.</summary>
    public void WriteBytes(ReadOnlySpan<byte> value) => value.CopyTo(Reserve(value.Length));

    /// <summary>An IPv6 address.</summary>
    public void WriteIPv6(IPAddress address)
    {
        if (!address.TryWriteBytes(Reserve(16), out int n) || n != 16)
        {
            throw new ArgumentException($"{address} is not an IPv6 address.", nameof(address));
        }
    }

    /// <summary>Writes an option code and a placeholder length; returns the token for <see cref="EndOption"/>.</summary>
    public int BeginOption(ushort code)
    {
        WriteUInt16(code);
        int token = Length;
        WriteUInt16(0);
        return token;
    }

    /// <summary>Back-patches the option length (bytes written since its header).</summary>
    public void EndOption(int token) =>
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(token), checked((ushort)(Length - token - 2)));

    /// <summary>The bytes written, copied.</summary>
    public byte[] ToArray() => Written.ToArray();

    private Span<byte> Reserve(int count)
    {
        if (Length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + count));
        }

        Span<byte> s = _buffer.AsSpan(Length, count);
        Length += count;
        return s;
    }
}
