using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Protocols.Dns;

/// <summary>
/// A DNS message (RFC 1035 §4.1): the 12-byte header, then the question, answer, authority and
/// additional sections. Parsing is strict: counts must match the records present, record data must
/// fill its RDLENGTH exactly, and trailing bytes are refused, each as a
/// <see cref="WireFormatException"/> with the field and offset. Encoding compresses names.
/// </summary>
/// <remarks>
/// This is our own codec rather than a NuGet library: the forwarder needs only the header, names
/// with loop-safe compression, SOA for negative caching (RFC 2308) and opaque pass-through of every
/// other type (OPT included), and the libraries served here either encode only through internal
/// APIs or pull cryptography packages of unknown NativeAOT behaviour (ARSoft.Tools.Net), are
/// clients only (DnsClient), or are untested under trimming (Makaretu.Dns). The codec follows the
/// DHCP codecs' test discipline instead: annotated bytes, truncation offsets, round trip, fuzz.
/// </remarks>
public sealed record DnsMessage
{
    /// <summary>The header's length.</summary>
    public const int HeaderLength = 12;

    /// <summary>The largest UDP message without EDNS (RFC 1035 §2.3.4).</summary>
    public const int ClassicUdpLimit = 512;

    private const ushort QrBit = 0x8000, AaBit = 0x0400, TcBit = 0x0200, RdBit = 0x0100, RaBit = 0x0080;

    /// <summary>ID: matches a response to its query.</summary>
    public ushort Id { get; init; }

    /// <summary>The header's second 16 bits as they are: QR, OPCODE, AA, TC, RD, RA, Z, AD, CD, RCODE.</summary>
    public ushort Flags { get; init; }

    /// <summary>The question section (one question in practice).</summary>
    public IReadOnlyList<DnsQuestion> Questions { get; init; } = [];

    /// <summary>The answer section.</summary>
    public IReadOnlyList<DnsRecord> Answers { get; init; } = [];

    /// <summary>The authority section (the SOA of a negative answer).</summary>
    public IReadOnlyList<DnsRecord> Authorities { get; init; } = [];

    /// <summary>The additional section (the OPT pseudo-record of EDNS lives here).</summary>
    public IReadOnlyList<DnsRecord> Additionals { get; init; } = [];

    /// <summary>QR: a response rather than a query.</summary>
    public bool IsResponse => (Flags & QrBit) != 0;

    /// <summary>OPCODE.</summary>
    public DnsOpcode Opcode => (DnsOpcode)((Flags >> 11) & 0xF);

    /// <summary>AA: the answer is authoritative.</summary>
    public bool Authoritative => (Flags & AaBit) != 0;

    /// <summary>TC: the message was truncated; ask again over TCP.</summary>
    public bool Truncated => (Flags & TcBit) != 0;

    /// <summary>RD: recursion desired.</summary>
    public bool RecursionDesired => (Flags & RdBit) != 0;

    /// <summary>RA: recursion available.</summary>
    public bool RecursionAvailable => (Flags & RaBit) != 0;

    /// <summary>RCODE (the header's 4 bits; an EDNS extended RCODE stays in the OPT record).</summary>
    public DnsResponseCode ResponseCode => (DnsResponseCode)(Flags & 0xF);

    /// <summary>The OPT pseudo-record, or null without EDNS.</summary>
    public DnsRecord? Opt => Additionals.FirstOrDefault(r => r.Type == DnsType.Opt);

    /// <summary>The flags of a query: RD set when <paramref name="recursionDesired"/>.</summary>
    public static ushort QueryFlags(bool recursionDesired = true) => recursionDesired ? RdBit : (ushort)0;

    /// <summary>
    /// The flags of a response to <paramref name="query"/>: QR, the query's OPCODE, RD and CD copied
    /// (RFC 1035 §4.1.1, RFC 4035 §3.2.2), RA set, AA when <paramref name="authoritative"/>, and RCODE.
    /// </summary>
    public static ushort ResponseFlags(DnsMessage query, DnsResponseCode code, bool authoritative)
    {
        ArgumentNullException.ThrowIfNull(query);
        int flags = QrBit | (query.Flags & (0x7800 | RdBit | 0x0010)) | RaBit | (int)code;
        return (ushort)(authoritative ? flags | AaBit : flags);
    }

    /// <summary>These flags with TC set.</summary>
    public static ushort WithTruncated(ushort flags) => (ushort)(flags | TcBit);

    /// <summary>Reads a whole message.</summary>
    public static DnsMessage Parse(ReadOnlySpan<byte> message)
    {
        var r = new WireReader(message);
        ushort id = r.ReadUInt16("ID");
        ushort flags = r.ReadUInt16("flags");
        int qd = r.ReadUInt16("QDCOUNT"), an = r.ReadUInt16("ANCOUNT"), ns = r.ReadUInt16("NSCOUNT"), ar = r.ReadUInt16("ARCOUNT");
        var questions = new List<DnsQuestion>(Math.Min(qd, 16));
        for (int i = 0; i < qd; i++)
        {
            DnsName name = ReadName(message, ref r, "QNAME");
            questions.Add(new DnsQuestion(name, (DnsType)r.ReadUInt16("QTYPE"), (DnsClass)r.ReadUInt16("QCLASS")));
        }

        List<DnsRecord> answers = ReadRecords(message, ref r, an), authorities = ReadRecords(message, ref r, ns), additionals = ReadRecords(message, ref r, ar);
        r.ExpectEnd("end of message");
        return new DnsMessage { Id = id, Flags = flags, Questions = questions, Answers = answers, Authorities = authorities, Additionals = additionals };
    }

    /// <summary>The message on the wire.</summary>
    public byte[] ToArray()
    {
        var w = new DnsMessageWriter();
        WriteHeader(w.Wire, Id, Flags, Questions.Count, Answers.Count, Authorities.Count, Additionals.Count);
        foreach (DnsQuestion q in Questions)
        {
            w.WriteQuestion(q);
        }

        foreach (DnsRecord rr in Answers.Concat(Authorities).Concat(Additionals))
        {
            w.WriteRecord(rr);
        }

        return w.Wire.ToArray();
    }

    /// <summary>
    /// The message on the wire if it fits <paramref name="maxLength"/>; otherwise the header with TC
    /// set, the questions and the OPT record only (RFC 2181 §9, RFC 6891 §7), so the client asks again
    /// over TCP.
    /// </summary>
    public byte[] ToArray(int maxLength)
    {
        byte[] full = ToArray();
        if (full.Length <= maxLength)
        {
            return full;
        }

        return (this with
        {
            Flags = WithTruncated(Flags),
            Answers = [],
            Authorities = [],
            Additionals = [.. Additionals.Where(a => a.Type == DnsType.Opt)],
        }).ToArray();
    }

    private static void WriteHeader(WireWriter w, ushort id, ushort flags, int qd, int an, int ns, int ar)
    {
        w.WriteUInt16(id);
        w.WriteUInt16(flags);
        w.WriteUInt16(checked((ushort)qd));
        w.WriteUInt16(checked((ushort)an));
        w.WriteUInt16(checked((ushort)ns));
        w.WriteUInt16(checked((ushort)ar));
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"id {Id} {(IsResponse ? "response" : "query")} {ResponseCode} [{string.Join(", ", Questions)}] an {Answers.Count} ns {Authorities.Count} ar {Additionals.Count}";

    private static DnsName ReadName(ReadOnlySpan<byte> message, ref WireReader r, string field)
    {
        DnsName name = DnsName.Read(message, r.Offset, message.Length, field, out int used);
        r.ReadBytes(used, field);
        return name;
    }

    private static List<DnsRecord> ReadRecords(ReadOnlySpan<byte> message, ref WireReader r, int count)
    {
        var records = new List<DnsRecord>(Math.Min(count, 64));
        for (int i = 0; i < count; i++)
        {
            DnsName name = ReadName(message, ref r, "NAME");
            var type = (DnsType)r.ReadUInt16("TYPE");
            var cls = (DnsClass)r.ReadUInt16("CLASS");
            uint ttl = r.ReadUInt32("TTL");
            int length = r.ReadUInt16("RDLENGTH");
            int at = r.Offset;
            r.ReadBytes(length, "RDATA");
            records.Add(new DnsRecord(name, type, cls, ttl, DnsRecord.ReadData(message, at, length, type)));
        }

        return records;
    }
}
