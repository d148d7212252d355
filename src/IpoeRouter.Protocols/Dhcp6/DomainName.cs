using System.Text;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Protocols.Dhcp6;

/// <summary>Domain names in DNS wire format (RFC 1035 §3.1) without compression, as DHCPv6 carries them (RFC 8415 §10).</summary>
public static class DomainName
{
    /// <summary>Writes <paramref name="name"/> as labels ending with the root label.</summary>
    public static void Write(WireWriter w, string name)
    {
        foreach (string label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            byte[] bytes = Encoding.ASCII.GetBytes(label);
            if (bytes.Length > 63)
            {
                throw new ArgumentException($"The label '{label}' is longer than 63 bytes.", nameof(name));
            }

            w.WriteByte((byte)bytes.Length);
            w.WriteBytes(bytes);
        }

        w.WriteByte(0);
    }

    /// <summary>Reads one name; a compression pointer or a label past the end is an error at its offset.</summary>
    public static string Read(ref WireReader r)
    {
        var labels = new List<string>();
        int total = 0;
        while (true)
        {
            int at = r.Offset;
            byte length = r.ReadByte("domain label length");
            if (length == 0)
            {
                return string.Join('.', labels);
            }

            if (length > 63)
            {
                WireReader.Throw("domain label length", at, $"{length}: compression is not allowed here and labels hold at most 63 bytes");
            }

            total += length + 1;
            if (total > 255)
            {
                WireReader.Throw("domain name", at, "longer than 255 bytes");
            }

            labels.Add(Encoding.ASCII.GetString(r.ReadBytes(length, "domain label")));
        }
    }
}
