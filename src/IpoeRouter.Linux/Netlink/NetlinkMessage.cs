using System.Buffers.Binary;
using IpoeRouter.Linux.Interop;

namespace IpoeRouter.Linux.Netlink;

/// <summary>One received netlink message: its header fields and its payload (everything after the 16-byte header).</summary>
public sealed record NetlinkMessage(NetlinkMessageType Type, NetlinkFlags Flags, uint Sequence, uint Port, byte[] Payload)
{
    /// <summary>Splits a datagram into its messages, checking every length against the buffer.</summary>
    public static List<NetlinkMessage> Split(ReadOnlySpan<byte> datagram)
    {
        List<NetlinkMessage> messages = SplitLeading(datagram, out string? malformed);
        return malformed is null ? messages : throw new NetlinkFormatException(malformed);
    }

    /// <summary>
    /// Splits a datagram into the well-formed messages it starts with. <paramref name="malformed"/>
    /// is null when the whole datagram was read, else why the rest could not be (a length that does
    /// not fit): for receive loops that report a damaged datagram without losing the messages
    /// before the damage.
    /// </summary>
    public static List<NetlinkMessage> SplitLeading(ReadOnlySpan<byte> datagram, out string? malformed)
    {
        var messages = new List<NetlinkMessage>();
        malformed = null;
        int offset = 0;
        while (offset + NetlinkMessageBuilder.HeaderSize <= datagram.Length)
        {
            ReadOnlySpan<byte> h = datagram[offset..];
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(h);
            if (length < NetlinkMessageBuilder.HeaderSize || offset + length > datagram.Length)
            {
                malformed = $"message length {length} at offset {offset} does not fit {datagram.Length} bytes";
                return messages;
            }

            messages.Add(new NetlinkMessage(
                (NetlinkMessageType)BinaryPrimitives.ReadUInt16LittleEndian(h[4..]),
                (NetlinkFlags)BinaryPrimitives.ReadUInt16LittleEndian(h[6..]),
                BinaryPrimitives.ReadUInt32LittleEndian(h[8..]),
                BinaryPrimitives.ReadUInt32LittleEndian(h[12..]),
                h[NetlinkMessageBuilder.HeaderSize..length].ToArray()));
            offset += NetlinkMessageBuilder.Align(length);
        }

        return messages;
    }

    /// <summary>
    /// For an <c>NLMSG_ERROR</c>: the positive errno (0 for an ACK) and the extended-ack text.
    /// Layout: <c>int error</c>, the echoed request header (and, unless capped, its payload), then
    /// <c>NLMSGERR_ATTR_*</c> attributes when <c>NLM_F_ACK_TLVS</c> is set.
    /// </summary>
    public (int Errno, string? Message) ReadError()
    {
        if (Payload.Length < 4 + NetlinkMessageBuilder.HeaderSize)
        {
            throw new NetlinkFormatException($"error message of {Payload.Length} bytes");
        }

        int errno = -BinaryPrimitives.ReadInt32LittleEndian(Payload);
        if (!Flags.HasFlag(NetlinkFlags.AckTlvs))
        {
            return (errno, null);
        }

        int echoed = Flags.HasFlag(NetlinkFlags.Capped)
            ? NetlinkMessageBuilder.HeaderSize
            : (int)BinaryPrimitives.ReadUInt32LittleEndian(Payload.AsSpan(4));
        int tlvs = 4 + NetlinkMessageBuilder.Align(echoed);
        if (tlvs > Payload.Length)
        {
            return (errno, null);
        }

        foreach (var a in new NetlinkAttributes(Payload.AsSpan(tlvs)))
        {
            if (a.Type == NetlinkConstants.ErrorAttributeMessage)
            {
                return (errno, a.String);
            }
        }

        return (errno, null);
    }
}
