using System.Buffers.Binary;
using System.Net;
using System.Text;
using IpoeRouter.Linux.Interop;

namespace IpoeRouter.Linux.Netlink;

/// <summary>
/// Writes one netlink request: the 16-byte <c>nlmsghdr</c>, the fixed family header
/// (<c>ifinfomsg</c>, <c>ifaddrmsg</c>, <c>rtmsg</c>), then attributes, each 4-byte aligned.
/// Nested attributes are written with a token whose length is back-patched when the nest ends.
/// Sequence number and port are filled in by <see cref="Finish"/>.
/// </summary>
public sealed class NetlinkMessageBuilder
{
    /// <summary>Size of <c>struct nlmsghdr</c>.</summary>
    public const int HeaderSize = 16;

    private byte[] _buffer = new byte[256];
    private int _length;

    /// <summary>Starts a message of <paramref name="type"/> with <paramref name="flags"/>.</summary>
    public NetlinkMessageBuilder(NetlinkMessageType type, NetlinkFlags flags)
    {
        Type = type;
        Flags = flags;
        _length = HeaderSize;
    }

    /// <summary>The message type.</summary>
    public NetlinkMessageType Type { get; }

    /// <summary>The flags.</summary>
    public NetlinkFlags Flags { get; }

    /// <summary><c>struct ifinfomsg</c>: family, type, index, flags, change mask.</summary>
    public NetlinkMessageBuilder IfInfoMsg(byte family = 0, ushort type = 0, int index = 0, uint flags = 0, uint change = 0)
    {
        Span<byte> s = Reserve(16);
        s[0] = family;
        BinaryPrimitives.WriteUInt16LittleEndian(s[2..], type);
        BinaryPrimitives.WriteInt32LittleEndian(s[4..], index);
        BinaryPrimitives.WriteUInt32LittleEndian(s[8..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(s[12..], change);
        return this;
    }

    /// <summary><c>struct ifaddrmsg</c>: family, prefix length, flags (low 8 bits), scope, index.</summary>
    public NetlinkMessageBuilder IfAddrMsg(byte family, byte prefixLength = 0, byte flags = 0, byte scope = 0, int index = 0)
    {
        Span<byte> s = Reserve(8);
        s[0] = family;
        s[1] = prefixLength;
        s[2] = flags;
        s[3] = scope;
        BinaryPrimitives.WriteInt32LittleEndian(s[4..], index);
        return this;
    }

    /// <summary><c>struct rtmsg</c>.</summary>
    public NetlinkMessageBuilder RtMsg(byte family, byte destinationLength = 0, byte table = 0, byte protocol = 0, byte scope = 0, byte type = 0, uint flags = 0)
    {
        Span<byte> s = Reserve(12);
        s[0] = family;
        s[1] = destinationLength;
        s[4] = table;
        s[5] = protocol;
        s[6] = scope;
        s[7] = type;
        BinaryPrimitives.WriteUInt32LittleEndian(s[8..], flags);
        return this;
    }

    /// <summary>A family header of its own layout (e.g. <c>struct nfgenmsg</c>).</summary>
    public NetlinkMessageBuilder Fixed(ReadOnlySpan<byte> header)
    {
        header.CopyTo(Reserve(header.Length));
        return this;
    }

    /// <summary>An attribute with raw bytes.</summary>
    public NetlinkMessageBuilder Attribute(ushort type, ReadOnlySpan<byte> value)
    {
        Span<byte> s = Reserve(4 + value.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(s, (ushort)(4 + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(s[2..], type);
        value.CopyTo(s[4..]);
        return this;
    }

    /// <summary>A u8 attribute.</summary>
    public NetlinkMessageBuilder AttributeU8(ushort type, byte value) => Attribute(type, [value]);

    /// <summary>A u16 attribute (host order).</summary>
    public NetlinkMessageBuilder AttributeU16(ushort type, ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, value);
        return Attribute(type, b);
    }

    /// <summary>A u32 attribute (host order).</summary>
    public NetlinkMessageBuilder AttributeU32(ushort type, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        return Attribute(type, b);
    }

    /// <summary>A string attribute; NUL-terminated unless <paramref name="terminate"/> is false (iproute2 sends <c>IFLA_INFO_KIND</c> without it).</summary>
    public NetlinkMessageBuilder AttributeString(ushort type, string value, bool terminate = true)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(terminate ? value + '\0' : value);
        return Attribute(type, bytes);
    }

    /// <summary>An address attribute (4 or 16 bytes, network order).</summary>
    public NetlinkMessageBuilder AttributeAddress(ushort type, IPAddress address) => Attribute(type, address.GetAddressBytes());

    /// <summary>Opens a nested attribute; pass the token to <see cref="EndNested"/>.</summary>
    public int BeginNested(ushort type)
    {
        int at = _length;
        Span<byte> s = Reserve(4);
        BinaryPrimitives.WriteUInt16LittleEndian(s[2..], type);
        return at;
    }

    /// <summary>Closes a nested attribute, writing its length.</summary>
    public void EndNested(int token) =>
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(token), checked((ushort)(_length - token)));

    /// <summary>The finished message with <paramref name="sequence"/> and <paramref name="port"/> in its header.</summary>
    public byte[] Finish(uint sequence, uint port)
    {
        Span<byte> h = _buffer.AsSpan(0, HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(h, (uint)_length);
        BinaryPrimitives.WriteUInt16LittleEndian(h[4..], (ushort)Type);
        BinaryPrimitives.WriteUInt16LittleEndian(h[6..], (ushort)Flags);
        BinaryPrimitives.WriteUInt32LittleEndian(h[8..], sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(h[12..], port);
        return _buffer.AsSpan(0, _length).ToArray();
    }

    /// <summary>Appends <paramref name="size"/> bytes (zeroed, padded to 4) and returns them.</summary>
    private Span<byte> Reserve(int size)
    {
        int aligned = Align(size);
        if (_length + aligned > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + aligned));
        }

        Span<byte> s = _buffer.AsSpan(_length, aligned);
        s.Clear();
        _length += aligned;
        return s[..size];
    }

    /// <summary><c>NLMSG_ALIGN</c> / <c>NLA_ALIGN</c>: round up to 4.</summary>
    public static int Align(int n) => (n + 3) & ~3;
}
