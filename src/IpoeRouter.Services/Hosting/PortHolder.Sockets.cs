using System.Buffers.Binary;
using System.Globalization;
using System.Net;

namespace IpoeRouter.Services.Hosting;

/// <summary>The bound sockets themselves, with their addresses (what a conflict scan reports).</summary>
public static partial class PortHolder
{
    private const string TcpListen = "0A"; // TCP_LISTEN in /proc/net/tcp's "st" column

    /// <summary>
    /// The UDP sockets bound to one of <paramref name="ports"/> in the calling thread's network
    /// namespace, with their local addresses and holders (<c>ss -lunp</c>).
    /// </summary>
    public static IReadOnlyList<BoundSocket> BoundUdp(IReadOnlySet<int> ports) =>
        Bound("udp", ports, listeningOnly: false, "/proc/thread-self/net/udp", "/proc/thread-self/net/udp6");

    /// <summary>The listening TCP sockets on one of <paramref name="ports"/> (<c>ss -ltnp</c>); connections are left out.</summary>
    public static IReadOnlyList<BoundSocket> ListeningTcp(IReadOnlySet<int> ports) =>
        Bound("tcp", ports, listeningOnly: true, "/proc/thread-self/net/tcp", "/proc/thread-self/net/tcp6");

    /// <summary>
    /// Reads one address of <c>/proc/net/{udp,tcp}{,6}</c>: <c>ADDR:PORT</c> in hex, the address as
    /// the kernel's 32-bit words in host byte order (little-endian here), the port big-endian.
    /// </summary>
    public static (IPAddress Address, int Port) ParseProcNetAddress(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int colon = text.LastIndexOf(':');
        if (colon is not (8 or 32))
        {
            throw new FormatException($"'{text}' is not a /proc/net socket address");
        }

        int port = int.Parse(text.AsSpan(colon + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        byte[] bytes = new byte[colon / 2];
        for (int word = 0; word < bytes.Length / 4; word++)
        {
            uint host = uint.Parse(text.AsSpan(word * 8, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            uint network = BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(host) : host;
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(word * 4), network);
        }

        return (new IPAddress(bytes), port);
    }

    private static List<BoundSocket> Bound(string protocol, IReadOnlySet<int> ports, bool listeningOnly, params string[] tables)
    {
        var rows = new List<(IPAddress Address, int Port, int Uid, string Inode)>();
        foreach (string table in tables)
        {
            if (!File.Exists(table))
            {
                continue;
            }

            foreach (string line in File.ReadLines(table).Skip(1))
            {
                // "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ..."
                string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length <= 9 || (listeningOnly && fields[3] != TcpListen) || fields[9] == "0")
                {
                    continue;
                }

                (IPAddress address, int port) = ParseProcNetAddress(fields[1]);
                if (ports.Contains(port))
                {
                    rows.Add((address, port, int.Parse(fields[7], CultureInfo.InvariantCulture), $"socket:[{fields[9]}]"));
                }
            }
        }

        if (rows.Count == 0)
        {
            return [];
        }

        Dictionary<string, List<PortHolderProcess>> holders = ProcessesHolding(rows.Select(r => r.Inode).ToHashSet(StringComparer.Ordinal));
        return [.. rows.Select(r => new BoundSocket(protocol, r.Address, r.Port, r.Uid,
            holders.TryGetValue(r.Inode, out List<PortHolderProcess>? p) ? p : []))];
    }
}
