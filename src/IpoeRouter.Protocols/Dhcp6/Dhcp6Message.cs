using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Protocols.Dhcp6;

/// <summary>
/// A client/server DHCPv6 message (RFC 8415 §8): type, 24-bit transaction id, options. Relay
/// messages have another header and are not handled here.
/// </summary>
public sealed record Dhcp6Message(Dhcp6MessageType Type, int TransactionId, IReadOnlyList<Dhcp6Option> Options)
{
    /// <summary>Reads a message; throws <see cref="WireFormatException"/> naming the field and offset.</summary>
    public static Dhcp6Message Parse(ReadOnlySpan<byte> packet)
    {
        var r = new WireReader(packet);
        byte type = r.ReadByte("msg-type");
        if (type is 0 or (byte)Dhcp6MessageType.RelayForward or (byte)Dhcp6MessageType.RelayReply)
        {
            WireReader.Throw("msg-type", 0, type == 0 ? "0 is not a message type" : "relay messages are not handled");
        }

        int xid = r.ReadUInt24("transaction-id");
        return new Dhcp6Message((Dhcp6MessageType)type, xid, Dhcp6OptionParser.ParseAll(ref r));
    }

    /// <summary>The first option of type <typeparamref name="T"/>, or null.</summary>
    public T? Find<T>()
        where T : Dhcp6Option => Options.OfType<T>().FirstOrDefault();

    /// <summary>The encoded message.</summary>
    public byte[] ToArray()
    {
        var w = new WireWriter();
        w.WriteByte((byte)Type);
        w.WriteUInt24(TransactionId & 0xFFFFFF);
        Dhcp6Option.WriteAll(w, Options);
        return w.ToArray();
    }
}
