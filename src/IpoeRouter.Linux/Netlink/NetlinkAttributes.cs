using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace IpoeRouter.Linux.Netlink;

/// <summary>
/// A bounds-checked walk over netlink attributes. A malformed attribute (a length shorter than its
/// header or running past the end) ends the walk with <see cref="NetlinkFormatException"/>; nothing
/// is read past the buffer.
/// </summary>
public ref struct NetlinkAttributes
{
    private const ushort TypeMask = 0x3FFF; // strips NLA_F_NESTED and NLA_F_NET_BYTEORDER
    private readonly ReadOnlySpan<byte> _data;
    private int _offset;

    /// <summary>Walks <paramref name="data"/>.</summary>
    public NetlinkAttributes(ReadOnlySpan<byte> data)
    {
        _data = data;
        _offset = 0;
        Type = 0;
        Value = default;
    }

    /// <summary>The current attribute's type, flags stripped.</summary>
    public ushort Type { get; private set; }

    /// <summary>The current attribute's value.</summary>
    public ReadOnlySpan<byte> Value { get; private set; }

    /// <summary>For <c>foreach</c>.</summary>
    public readonly NetlinkAttributes GetEnumerator() => this;

    /// <summary>The current attribute (for <c>foreach</c>).</summary>
    public readonly NetlinkAttributes Current => this;

    /// <summary>Moves to the next attribute.</summary>
    public bool MoveNext()
    {
        if (_offset + 4 > _data.Length)
        {
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16LittleEndian(_data[_offset..]);
        if (length < 4 || _offset + length > _data.Length)
        {
            throw new NetlinkFormatException($"attribute length {length} at offset {_offset} does not fit {_data.Length} bytes");
        }

        Type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(_data[(_offset + 2)..]) & TypeMask);
        Value = _data.Slice(_offset + 4, length - 4);
        _offset += NetlinkMessageBuilder.Align(length);
        return true;
    }

    /// <summary>The value as u8.</summary>
    public readonly byte U8 => Value.Length >= 1 ? Value[0] : throw Short(1);

    /// <summary>The value as u16 (host order).</summary>
    public readonly ushort U16 => Value.Length >= 2 ? BinaryPrimitives.ReadUInt16LittleEndian(Value) : throw Short(2);

    /// <summary>The value as u32 (host order).</summary>
    public readonly uint U32 => Value.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(Value) : throw Short(4);

    /// <summary>The value as a NUL-terminated (or unterminated) string.</summary>
    public readonly string String
    {
        get
        {
            int nul = Value.IndexOf((byte)0);
            return Encoding.ASCII.GetString(nul >= 0 ? Value[..nul] : Value);
        }
    }

    /// <summary>The value as an address (4 or 16 bytes).</summary>
    public readonly IPAddress Address => Value.Length is 4 or 16 ? new IPAddress(Value) : throw Short(16);

    private readonly NetlinkFormatException Short(int needed) =>
        new($"attribute {Type} has {Value.Length} bytes, needs {needed}");
}
