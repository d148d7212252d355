using System.Net;
using System.Text;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Protocols.Dns;

/// <summary>
/// Writes one message with name compression (RFC 1035 §4.1.4): every name, or the tail of it, that
/// was written before at an offset a 14-bit pointer reaches is replaced by a pointer there. Names
/// compare exactly (case included) so that a round trip keeps each name's case.
/// </summary>
internal sealed class DnsMessageWriter
{
    private const int MaxPointerTarget = 0x3FFF;

    private readonly WireWriter _w = new();
    private readonly Dictionary<string, int> _written = new(StringComparer.Ordinal);

    public WireWriter Wire => _w;

    public void WriteName(DnsName name, bool compress)
    {
        IReadOnlyList<string> labels = name.Labels;
        for (int i = 0; i < labels.Count; i++)
        {
            string suffix = SuffixKey(labels, i);
            if (compress && _written.TryGetValue(suffix, out int target))
            {
                _w.WriteUInt16((ushort)(0xC000 | target));
                return;
            }

            if (_w.Length <= MaxPointerTarget)
            {
                _written.TryAdd(suffix, _w.Length);
            }

            byte[] bytes = Encoding.Latin1.GetBytes(labels[i]);
            _w.WriteByte((byte)bytes.Length);
            _w.WriteBytes(bytes);
        }

        _w.WriteByte(0);
    }

    public void WriteQuestion(DnsQuestion q)
    {
        WriteName(q.Name, compress: true);
        _w.WriteUInt16((ushort)q.Type);
        _w.WriteUInt16((ushort)q.Class);
    }

    public void WriteRecord(DnsRecord r)
    {
        WriteName(r.Name, compress: true);
        _w.WriteUInt16((ushort)r.Type);
        _w.WriteUInt16((ushort)r.Class);
        _w.WriteUInt32(r.Ttl);
        int token = _w.Length;
        _w.WriteUInt16(0);
        switch (r.Data)
        {
            case DnsAddressData a:
                Span<byte> b = stackalloc byte[16];
                int expected = r.Type == DnsType.A ? 4 : 16;
                if (!a.Address.TryWriteBytes(b, out int n) || n != expected)
                {
                    throw new ArgumentException($"{a.Address} does not fit a {r.Type} record.", nameof(r));
                }

                _w.WriteBytes(b[..n]);
                break;
            case DnsNameData d:
                WriteName(d.Name, compress: true);
                break;
            case DnsMxData mx:
                _w.WriteUInt16(mx.Preference);
                WriteName(mx.Exchange, compress: true);
                break;
            case DnsSoaData soa:
                WriteName(soa.PrimaryServer, compress: true);
                WriteName(soa.Mailbox, compress: true);
                _w.WriteUInt32(soa.Serial);
                _w.WriteUInt32(soa.Refresh);
                _w.WriteUInt32(soa.Retry);
                _w.WriteUInt32(soa.Expire);
                _w.WriteUInt32(soa.Minimum);
                break;
            case DnsRawData raw:
                _w.WriteBytes(raw.Bytes.Span);
                break;
            default:
                throw new ArgumentException($"No encoding for {r.Data.GetType().Name}.", nameof(r));
        }

        _w.EndOption(token);
    }

    /// <summary>A key that cannot confuse a label holding a dot with two labels: each label prefixed by its length.</summary>
    private static string SuffixKey(IReadOnlyList<string> labels, int from)
    {
        var sb = new StringBuilder();
        for (int i = from; i < labels.Count; i++)
        {
            sb.Append((char)labels[i].Length).Append(labels[i]);
        }

        return sb.ToString();
    }
}
