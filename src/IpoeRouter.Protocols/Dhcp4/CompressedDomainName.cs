using System.Text;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Protocols.Dhcp4;

/// <summary>
/// Lists of domain names in DNS wire format (RFC 1035 §3.1) with message compression (RFC 1035
/// §4.1.4), as the Domain Search option carries them (RFC 3397 §2): a pointer is an offset from the
/// first byte of the option's data, after the instances of a split option were concatenated.
/// Label bytes map to characters one to one (Latin-1).
/// </summary>
internal static class CompressedDomainName
{
    /// <summary>The most bytes one name takes uncompressed, length bytes and root label included (RFC 1035 §2.3.4).</summary>
    public const int MaxNameLength = 255;

    /// <summary>The most bytes in one label.</summary>
    public const int MaxLabelLength = 63;

    /// <summary>
    /// The most pointers followed for one name: as many as a 255-byte name has labels. A longer chain
    /// (pointers to pointers) is legal in principle, but lets a packet make decoding quadratic.
    /// </summary>
    public const int MaxPointers = 127;

    /// <summary>The largest offset a 14-bit pointer reaches.</summary>
    private const int MaxPointerTarget = 0x3FFF;

    private const string LengthField = "domain label length";
    private const string PointerField = "domain compression pointer";

    /// <summary>
    /// Writes <paramref name="names"/> one after another; a name whose trailing labels were written
    /// before ends with a pointer to them. Offsets count from the writer's length on entry.
    /// </summary>
    public static void WriteList(WireWriter w, IReadOnlyList<string> names)
    {
        int start = w.Length;
        var written = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string name in names)
        {
            string[] labels = Labels(name);
            bool pointed = false;
            for (int i = 0; i < labels.Length; i++)
            {
                string suffix = string.Join('.', labels, i, labels.Length - i);
                if (written.TryGetValue(suffix, out int target))
                {
                    w.WriteUInt16((ushort)(0xC000 | target));
                    pointed = true;
                    break;
                }

                int offset = w.Length - start;
                if (offset <= MaxPointerTarget)
                {
                    written.Add(suffix, offset);
                }

                byte[] bytes = Encoding.Latin1.GetBytes(labels[i]);
                w.WriteByte((byte)bytes.Length);
                w.WriteBytes(bytes);
            }

            if (!pointed)
            {
                w.WriteByte(0);
            }
        }
    }

    /// <summary>
    /// Reads every name in <paramref name="data"/>, the whole option data whose first byte is at
    /// <paramref name="baseOffset"/> in the packet. A pointer must point backwards, before the name
    /// it continues and before the last pointer's target; one that points forward, or anywhere that
    /// could lead back to itself, is an error at the pointer's offset; so is a chain of more than
    /// <see cref="MaxPointers"/> pointers.
    /// </summary>
    public static List<string> ReadList(ReadOnlySpan<byte> data, int baseOffset)
    {
        var names = new List<string>();
        var r = new WireReader(data, baseOffset);
        while (!r.End)
        {
            names.Add(Read(data, baseOffset, ref r));
        }

        return names;
    }

    private static string Read(ReadOnlySpan<byte> data, int baseOffset, ref WireReader r)
    {
        var labels = new List<string>();
        int length = 1; // the root label
        int limit = r.Position;
        int pointers = 0;
        bool jumped = false;
        WireReader cursor = r;
        while (true)
        {
            int at = cursor.Offset;
            byte b = cursor.ReadByte(LengthField);
            if (b == 0)
            {
                break;
            }

            switch (b & 0xC0)
            {
                case 0xC0:
                    int target = ((b & 0x3F) << 8) | cursor.ReadByte(PointerField);
                    int position = at - baseOffset;
                    if (target >= position)
                    {
                        WireReader.Throw(PointerField, at, $"points forward (or at itself), to {target} from {position}");
                    }

                    if (target >= limit)
                    {
                        WireReader.Throw(PointerField, at, $"points to {target}, which leads back to this pointer (a loop)");
                    }

                    if (++pointers > MaxPointers)
                    {
                        WireReader.Throw(PointerField, at, $"more than {MaxPointers} pointers in one name");
                    }

                    if (!jumped)
                    {
                        r = cursor;
                        jumped = true;
                    }

                    limit = target;
                    cursor = new WireReader(data[target..], baseOffset + target);
                    continue;
                case 0x40:
                case 0x80:
                    WireReader.Throw(LengthField, at, $"0x{b:x2}: label types 01 and 10 are not defined");
                    break;
            }

            length += b + 1;
            if (length > MaxNameLength)
            {
                WireReader.Throw("domain name", at, $"longer than {MaxNameLength} bytes");
            }

            labels.Add(Encoding.Latin1.GetString(cursor.ReadBytes(b, "domain label")));
        }

        if (!jumped)
        {
            r = cursor;
        }

        return string.Join('.', labels);
    }

    private static string[] Labels(string name)
    {
        string[] labels = name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries);
        int length = 1;
        foreach (string label in labels)
        {
            int n = Encoding.Latin1.GetByteCount(label);
            if (n > MaxLabelLength)
            {
                throw new ArgumentException($"The label '{label}' is longer than {MaxLabelLength} bytes.", nameof(name));
            }

            length += n + 1;
        }

        if (length > MaxNameLength)
        {
            throw new ArgumentException($"The name '{name}' takes {length} bytes, more than {MaxNameLength}.", nameof(name));
        }

        return labels;
    }
}
