using System.Text;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Protocols.Dns;

/// <summary>
/// A domain name as a list of labels (RFC 1035 §3.1), compared without regard to ASCII case
/// (RFC 4343) but keeping the case it came with. Label bytes map to characters one to one
/// (Latin-1), so any label survives a round trip; the text form joins labels with dots and has no
/// trailing dot (the root is the empty string). Reading follows compression pointers (RFC 1035
/// §4.1.4) loop-safely: every pointer must point before the previous one's target.
/// </summary>
public sealed class DnsName : IEquatable<DnsName>
{
    /// <summary>The most bytes one name takes on the wire, length bytes and root label included (RFC 1035 §2.3.4).</summary>
    public const int MaxLength = 255;

    /// <summary>The most bytes in one label.</summary>
    public const int MaxLabelLength = 63;

    private readonly string[] _labels;

    private DnsName(string[] labels) => _labels = labels;

    /// <summary>The root name (one zero byte on the wire).</summary>
    public static DnsName Root { get; } = new([]);

    /// <summary>The labels, most specific first.</summary>
    public IReadOnlyList<string> Labels => _labels;

    /// <summary>True for the root.</summary>
    public bool IsRoot => _labels.Length == 0;

    /// <summary>Bytes this name takes on the wire uncompressed.</summary>
    public int WireLength => 1 + _labels.Sum(l => 1 + l.Length);

    /// <summary>
    /// The name of <paramref name="text"/> ("host.lan", "host.lan." and "." work; "" is the root).
    /// An empty label, a label over 63 bytes or a name over 255 is an <see cref="ArgumentException"/>.
    /// </summary>
    public static DnsName Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.EndsWith('.') ? text[..^1] : text;
        return t.Length == 0 ? Root : FromLabels(t.Split('.'));
    }

    /// <summary>A name from its labels; the same checks as <see cref="Parse"/>.</summary>
    public static DnsName FromLabels(IEnumerable<string> labels)
    {
        string[] l = [.. labels];
        foreach (string label in l)
        {
            if (label.Length is 0 or > MaxLabelLength || label.Any(c => c > 0xFF))
            {
                throw new ArgumentException($"'{label}' is not a DNS label (1 to {MaxLabelLength} Latin-1 characters).", nameof(labels));
            }
        }

        var name = new DnsName(l);
        return name.WireLength <= MaxLength ? name : throw new ArgumentException($"The name '{name}' is longer than {MaxLength} bytes.", nameof(labels));
    }

    /// <summary>This name with <paramref name="label"/> in front.</summary>
    public DnsName Prepend(string label) => FromLabels(_labels.Prepend(label));

    /// <summary>This name under <paramref name="parent"/> (labels of this, then of the parent).</summary>
    public DnsName Append(DnsName parent) => FromLabels(_labels.Concat(parent._labels));

    /// <summary>True when this name is <paramref name="zone"/> or below it.</summary>
    public bool IsSubdomainOf(DnsName zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        int skip = _labels.Length - zone._labels.Length;
        if (skip < 0)
        {
            return false;
        }

        for (int i = 0; i < zone._labels.Length; i++)
        {
            if (!string.Equals(_labels[skip + i], zone._labels[i], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The name in lower case (ASCII), the form caches key on.</summary>
    public string ToLowerKey() => string.Join('.', _labels).ToLowerInvariant();

    /// <inheritdoc/>
    public override string ToString() => string.Join('.', _labels);

    /// <inheritdoc/>
    public bool Equals(DnsName? other) =>
        other is not null && _labels.Length == other._labels.Length &&
        _labels.Zip(other._labels).All(p => string.Equals(p.First, p.Second, StringComparison.OrdinalIgnoreCase));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as DnsName);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(ToString());

    /// <summary>Equality without regard to case.</summary>
    public static bool operator ==(DnsName? left, DnsName? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(DnsName? left, DnsName? right) => !(left == right);

    /// <summary>
    /// Reads the name starting at <paramref name="offset"/> of <paramref name="message"/> (the whole
    /// message, for pointers). Its bytes in place must end by <paramref name="end"/> (the end of the
    /// record data it is part of); returns how many bytes it takes there (up to and including the
    /// zero label or the first pointer).
    /// </summary>
    internal static DnsName Read(ReadOnlySpan<byte> message, int offset, int end, string field, out int consumed)
    {
        var labels = new List<string>();
        int position = offset, limit = end, wireLength = 1, lowestTarget = offset;
        consumed = -1;
        while (true)
        {
            if (position >= limit)
            {
                WireReader.Throw(field, position, "the name runs past the end of its data");
            }

            byte length = message[position];
            if ((length & 0xC0) == 0xC0)
            {
                if (position + 1 >= limit)
                {
                    WireReader.Throw(field, position, "compression pointer cut short");
                }

                int target = ((length & 0x3F) << 8) | message[position + 1];
                if (consumed < 0)
                {
                    consumed = position + 2 - offset;
                }

                if (target >= lowestTarget)
                {
                    WireReader.Throw(field, position, $"compression pointer to {target} does not point backwards");
                }

                lowestTarget = target;
                position = target;
                limit = message.Length;
                continue;
            }

            if ((length & 0xC0) != 0)
            {
                WireReader.Throw(field, position, $"label type 0x{length & 0xC0:x2} is not supported");
            }

            if (length == 0)
            {
                if (consumed < 0)
                {
                    consumed = position + 1 - offset;
                }

                return new DnsName([.. labels]);
            }

            wireLength += 1 + length;
            if (wireLength > MaxLength)
            {
                WireReader.Throw(field, position, $"the name is longer than {MaxLength} bytes");
            }

            if (position + 1 + length > limit)
            {
                WireReader.Throw(field, position, $"label of {length} bytes runs past the end of its data");
            }

            labels.Add(Encoding.Latin1.GetString(message.Slice(position + 1, length)));
            position += 1 + length;
        }
    }
}
