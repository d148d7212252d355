using System.Net;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Protocols.Dhcp4;

/// <summary>
/// A DHCPv4 message (RFC 2131 §2, figure 1): the BOOTP header of 236 bytes, the magic cookie
/// 99.130.83.99, then options (RFC 2132) up to END.
/// </summary>
/// <remarks>
/// <para>
/// Decoding: PAD is skipped; data that ends without END is read as if END followed (some clients
/// and fuzzers cut the padding); what follows END is padding and is ignored. Instances of one
/// option code are concatenated (RFC 3396). The Option Overload option 52 is reported in
/// <see cref="Overload"/>, but <see cref="ServerName"/> and <see cref="File"/> stay raw: no options
/// are read from them. <c>chaddr</c> bytes past <c>hlen</c> are dropped (they are padding).
/// </para>
/// <para>
/// Encoding: the header, the cookie, the options (each split at 255 bytes, RFC 3396) and END, then
/// zeros up to <see cref="MinimumLength"/>: a BOOTP relay or client may drop a shorter message
/// (RFC 1542 §2.1, RFC 951's 64-byte vendor field), so servers and clients pad to 300 bytes.
/// </para>
/// </remarks>
public sealed record Dhcp4Message
{
    /// <summary>The fixed BOOTP header, <c>op</c> through <c>file</c>.</summary>
    public const int HeaderLength = 236;

    /// <summary>The magic cookie 99.130.83.99 (RFC 2131 §3, RFC 2132 §2) that opens the options field.</summary>
    public const uint MagicCookie = 0x63825363;

    /// <summary>The shortest message this codec writes: a BOOTP message with its 64-byte vendor field (RFC 1542 §2.1).</summary>
    public const int MinimumLength = 300;

    /// <summary>The length of <c>chaddr</c>, the most a hardware address can take.</summary>
    public const int ChaddrLength = 16;

    /// <summary>The length of <c>sname</c>.</summary>
    public const int ServerNameLength = 64;

    /// <summary>The length of <c>file</c>.</summary>
    public const int FileLength = 128;

    /// <summary>ARP hardware type 1: Ethernet, whose addresses take 6 bytes.</summary>
    public const byte EthernetHardwareType = 1;

    private readonly ByteString _hardwareAddress;
    private readonly ByteString _serverName;
    private readonly ByteString _file;

    /// <summary><c>op</c>: BOOTREQUEST from a client, BOOTREPLY from a server.</summary>
    public Dhcp4OpCode Op { get; init; } = Dhcp4OpCode.BootRequest;

    /// <summary><c>htype</c>: the ARP hardware type of <see cref="HardwareAddress"/> (1, Ethernet, by default).</summary>
    public byte HardwareType { get; init; } = EthernetHardwareType;

    /// <summary><c>hops</c>: how many relays the message passed; clients send 0.</summary>
    public byte Hops { get; init; }

    /// <summary><c>xid</c>: the transaction id the client chose.</summary>
    public uint TransactionId { get; init; }

    /// <summary><c>secs</c>: seconds since the client began acquiring or renewing.</summary>
    public ushort Seconds { get; init; }

    /// <summary><c>flags</c>: the broadcast bit, and any other bits as they came (they should be zero).</summary>
    public Dhcp4Flags Flags { get; init; }

    /// <summary>True when the BROADCAST bit of <see cref="Flags"/> is set: replies must be broadcast.</summary>
    public bool Broadcast => (Flags & Dhcp4Flags.Broadcast) != 0;

    /// <summary><c>ciaddr</c>: the client's address when it already has one (BOUND, RENEW, REBIND, INFORM).</summary>
    public IPAddress ClientAddress { get; init; } = IPAddress.Any;

    /// <summary><c>yiaddr</c>: "your" address, the one the server offers or assigns.</summary>
    public IPAddress YourAddress { get; init; } = IPAddress.Any;

    /// <summary><c>siaddr</c>: the next server in bootstrap (TFTP), not the DHCP server's identifier.</summary>
    public IPAddress NextServerAddress { get; init; } = IPAddress.Any;

    /// <summary><c>giaddr</c>: the relay agent's address, 0.0.0.0 when not relayed.</summary>
    public IPAddress RelayAgentAddress { get; init; } = IPAddress.Any;

    /// <summary>
    /// The first <c>hlen</c> bytes of <c>chaddr</c>: the client's hardware address, at most 16
    /// bytes (<c>hlen</c> is its length; the rest of <c>chaddr</c> is written as zeros).
    /// </summary>
    public ByteString HardwareAddress
    {
        get => _hardwareAddress;
        init => _hardwareAddress = AtMost(value, ChaddrLength, nameof(HardwareAddress));
    }

    /// <summary>
    /// <c>sname</c>: the server host name field, raw (NUL-terminated text, or options when
    /// <see cref="Overload"/> says so); at most 64 bytes, padded with zeros when written.
    /// </summary>
    public ByteString ServerName
    {
        get => _serverName;
        init => _serverName = AtMost(value, ServerNameLength, nameof(ServerName));
    }

    /// <summary>
    /// <c>file</c>: the boot file name field, raw (NUL-terminated text, or options when
    /// <see cref="Overload"/> says so); at most 128 bytes, padded with zeros when written.
    /// </summary>
    public ByteString File
    {
        get => _file;
        init => _file = AtMost(value, FileLength, nameof(File));
    }

    /// <summary>The options, at most one per code, without PAD and END.</summary>
    public IReadOnlyList<Dhcp4Option> Options { get; init; } = [];

    /// <summary>The DHCP message type (option 53), or null for a plain BOOTP message.</summary>
    public Dhcp4MessageType? MessageType => Find<MessageTypeOption>()?.Type;

    /// <summary>Which of <c>sname</c> and <c>file</c> option 52 says carry options (they are not read here).</summary>
    public Dhcp4OptionOverload Overload => Find<OptionOverloadOption>()?.Value ?? Dhcp4OptionOverload.None;

    /// <summary>Reads a message; throws <see cref="WireFormatException"/> naming the field and offset.</summary>
    public static Dhcp4Message Parse(ReadOnlySpan<byte> packet)
    {
        var r = new WireReader(packet);
        byte op = r.ReadByte("op");
        if (op is not ((byte)Dhcp4OpCode.BootRequest or (byte)Dhcp4OpCode.BootReply))
        {
            WireReader.Throw("op", 0, $"{op} is neither BOOTREQUEST (1) nor BOOTREPLY (2)");
        }

        byte htype = r.ReadByte("htype");
        byte hlen = r.ReadByte("hlen");
        if (hlen > ChaddrLength)
        {
            WireReader.Throw("hlen", 2, $"{hlen} is more than the {ChaddrLength} bytes of chaddr");
        }

        byte hops = r.ReadByte("hops");
        uint xid = r.ReadUInt32("xid");
        ushort secs = r.ReadUInt16("secs");
        ushort flags = r.ReadUInt16("flags");
        IPAddress ciaddr = Ipv4Field.Read(ref r, "ciaddr");
        IPAddress yiaddr = Ipv4Field.Read(ref r, "yiaddr");
        IPAddress siaddr = Ipv4Field.Read(ref r, "siaddr");
        IPAddress giaddr = Ipv4Field.Read(ref r, "giaddr");
        ReadOnlySpan<byte> chaddr = r.ReadBytes(ChaddrLength, "chaddr");
        ReadOnlySpan<byte> sname = r.ReadBytes(ServerNameLength, "sname");
        ReadOnlySpan<byte> file = r.ReadBytes(FileLength, "file");
        int cookieAt = r.Offset;
        uint cookie = r.ReadUInt32("magic cookie");
        if (cookie != MagicCookie)
        {
            WireReader.Throw("magic cookie", cookieAt, $"0x{cookie:x8} is not 99.130.83.99");
        }

        int optionsAt = r.Offset;
        return new Dhcp4Message
        {
            Op = (Dhcp4OpCode)op,
            HardwareType = htype,
            Hops = hops,
            TransactionId = xid,
            Seconds = secs,
            Flags = (Dhcp4Flags)flags,
            ClientAddress = ciaddr,
            YourAddress = yiaddr,
            NextServerAddress = siaddr,
            RelayAgentAddress = giaddr,
            HardwareAddress = new ByteString(chaddr[..hlen].ToArray()),
            ServerName = new ByteString(sname.ToArray()),
            File = new ByteString(file.ToArray()),
            Options = Dhcp4OptionParser.ParseAll(r.ReadRest(), optionsAt),
        };
    }

    /// <summary>The first option of type <typeparamref name="T"/>, or null.</summary>
    public T? Find<T>()
        where T : Dhcp4Option => Options.OfType<T>().FirstOrDefault();

    /// <summary>
    /// The encoded message, padded with zeros to <see cref="MinimumLength"/> (300) bytes. Throws
    /// <see cref="InvalidOperationException"/> when two options share a code, and
    /// <see cref="ArgumentException"/> when an address is not IPv4 or a name does not fit.
    /// </summary>
    public byte[] ToArray()
    {
        var w = new WireWriter();
        w.WriteByte((byte)Op);
        w.WriteByte(HardwareType);
        w.WriteByte((byte)HardwareAddress.Length);
        w.WriteByte(Hops);
        w.WriteUInt32(TransactionId);
        w.WriteUInt16(Seconds);
        w.WriteUInt16((ushort)Flags);
        Ipv4Field.Write(w, ClientAddress, nameof(ClientAddress));
        Ipv4Field.Write(w, YourAddress, nameof(YourAddress));
        Ipv4Field.Write(w, NextServerAddress, nameof(NextServerAddress));
        Ipv4Field.Write(w, RelayAgentAddress, nameof(RelayAgentAddress));
        WritePadded(w, HardwareAddress, ChaddrLength);
        WritePadded(w, ServerName, ServerNameLength);
        WritePadded(w, File, FileLength);
        w.WriteUInt32(MagicCookie);
        Dhcp4Option.WriteAll(w, Options);
        w.WriteByte(Dhcp4OptionCode.End);
        if (w.Length < MinimumLength)
        {
            w.WriteBytes(new byte[MinimumLength - w.Length]);
        }

        return w.ToArray();
    }

    private static void WritePadded(WireWriter w, ByteString value, int length)
    {
        w.WriteBytes(value.Span);
        w.WriteBytes(new byte[length - value.Length]);
    }

    private static ByteString AtMost(ByteString value, int length, string name) =>
        value.Length <= length ? value : throw new ArgumentException($"{value.Length} bytes do not fit in {length}.", name);
}
