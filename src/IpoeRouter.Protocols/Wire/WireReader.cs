using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace IpoeRouter.Protocols.Wire;

/// <summary>
/// A big-endian cursor over a packet. Every read checks the remaining length first and fails with
/// the field name and offset; <see cref="Base"/> makes offsets of nested data count from the start
/// of the whole packet.
/// </summary>
public ref struct WireReader
{
    private readonly ReadOnlySpan<byte> _data;

    /// <summary>Reads <paramref name="data"/>, whose first byte is at <paramref name="baseOffset"/> in the packet.</summary>
    public WireReader(ReadOnlySpan<byte> data, int baseOffset = 0)
    {
        _data = data;
        Base = baseOffset;
        Position = 0;
    }

    /// <summary>Offset of this data's first byte in the packet.</summary>
    public int Base { get; }

    /// <summary>Bytes read so far.</summary>
    public int Position { get; private set; }

    /// <summary>The offset in the packet of the next byte.</summary>
    public readonly int Offset => Base + Position;

    /// <summary>Bytes left.</summary>
    public readonly int Remaining => _data.Length - Position;

    /// <summary>True when everything was read.</summary>
    public readonly bool End => Remaining == 0;

    /// <summary>One byte.</summary>
    public byte ReadByte(string field) => Take(1, field)[0];

    /// <summary>A big-endian u16.</summary>
    public ushort ReadUInt16(string field) => BinaryPrimitives.ReadUInt16BigEndian(Take(2, field));

    /// <summary>A big-endian u24 (the DHCPv6 transaction id).</summary>
    public int ReadUInt24(string field)
    {
        ReadOnlySpan<byte> b = Take(3, field);
        return (b[0] << 16) | (b[1] << 8) | b[2];
    }

    /// <summary>A big-endian u32.</summary>
    public uint ReadUInt32(string field) => BinaryPrimitives.ReadUInt32BigEndian(Take(4, field));

    /// <summary><paramref name="count"/> bytes.</summary>
    public ReadOnlySpan<byte> ReadBytes(int count, string field) => Take(count, field);

    /// <summary>An IPv6 address (16 bytes).</summary>
    public IPAddress ReadIPv6(string field) => new(Take(16, field));

    /// <summary>Everything left.</summary>
    public ReadOnlySpan<byte> ReadRest() => Take(Remaining, "rest");

    /// <summary>Fails unless everything was read (a fixed-size field with trailing bytes).</summary>
    public readonly void ExpectEnd(string field)
    {
        if (!End)
        {
            Throw(field, Offset, $"{Remaining} trailing byte(s)");
        }
    }

    private ReadOnlySpan<byte> Take(int count, string field)
    {
        if (count < 0 || count > Remaining)
        {
            Throw(field, Offset, $"needs {count} byte(s), {Remaining} left");
        }

        ReadOnlySpan<byte> s = _data.Slice(Position, count);
        Position += count;
        return s;
    }

    /// <summary>Throws the format error; never returns.</summary>
    [DoesNotReturn]
    public static void Throw(string field, int offset, string problem) => throw new WireFormatException(field, offset, problem);
}
