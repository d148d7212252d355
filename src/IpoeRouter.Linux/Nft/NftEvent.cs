using System.Buffers.Binary;
using System.Globalization;
using IpoeRouter.Linux.Netlink;

namespace IpoeRouter.Linux.Nft;

/// <summary>What an <see cref="NftEvent"/> is.</summary>
public enum NftEventKind
{
    /// <summary>A committed transaction: <c>NFT_MSG_NEWGEN</c>, the last message the kernel sends for each commit.</summary>
    Generation,

    /// <summary>A message that did not decode (a malformed <c>NFT_MSG_NEWGEN</c>, a message of another subsystem, a damaged datagram).</summary>
    Unknown,

    /// <summary>The receive buffer overflowed (<c>ENOBUFS</c>): events were lost; the consumer must read the ruleset again.</summary>
    Overflow,
}

/// <summary>
/// One nftables change event: a committed transaction with its generation id and who committed it.
/// </summary>
/// <param name="Kind">Generation, or one of the two markers.</param>
/// <param name="GenerationId">
/// <c>NFTA_GEN_ID</c>: the ruleset generation the commit produced, what
/// <see cref="NftGeneration.Read"/> returns after it; 0 for the markers.
/// </param>
/// <param name="ProcessId">
/// <c>NFTA_GEN_PROC_PID</c>: the kernel's <c>task_pid_nr(current)</c> of the committer, which is
/// the committing <em>thread's</em> id (equal to the process id only for a process's main thread,
/// e.g. <c>nft</c>); null when absent.
/// </param>
/// <param name="ProcessName">
/// <c>NFTA_GEN_PROC_NAME</c>: that thread's name (<c>comm</c>, at most 15 characters: <c>nft</c>,
/// or a .NET thread's name); null when absent.
/// </param>
/// <param name="ObjectMessages">
/// How many table, chain, rule, set, element or object messages (<c>NFT_MSG_NEWTABLE</c> …)
/// came before it since the previous generation: the transaction's changes, counted, not decoded.
/// </param>
/// <param name="Summary">A log line: <c>nftables generation 42 committed by nft (pid 1234), 3 object messages</c>.</param>
public sealed record NftEvent(NftEventKind Kind, uint GenerationId, int? ProcessId, string? ProcessName, int ObjectMessages, string Summary)
{
    /// <summary><c>NFNL_SUBSYS_NFTABLES</c>: the high byte of every nftables message type.</summary>
    public const int SubsystemNftables = 10;

    /// <summary><c>NFT_MSG_NEWGEN</c>: the low byte of the message ending a committed transaction.</summary>
    public const int MessageNewGeneration = 15;

    /// <summary><c>NFTA_GEN_ID</c> (be32).</summary>
    private const ushort AttributeId = 1;

    /// <summary><c>NFTA_GEN_PROC_PID</c> (be32).</summary>
    private const ushort AttributeProcessId = 2;

    /// <summary><c>NFTA_GEN_PROC_NAME</c> (string).</summary>
    private const ushort AttributeProcessName = 3;

    /// <summary>Size of <c>struct nfgenmsg</c>: family, version, res_id (be16).</summary>
    private const int HeaderLength = 4;

    /// <summary>The event that stands for lost events (<c>ENOBUFS</c>).</summary>
    public static NftEvent Overflow { get; } = new(NftEventKind.Overflow, 0, null, null, 0,
        "nftables receive buffer overflow (ENOBUFS): events were lost, read the ruleset again");

    /// <summary>An <see cref="NftEventKind.Unknown"/> event saying <paramref name="what"/>.</summary>
    public static NftEvent Unknown(string what) => new(NftEventKind.Unknown, 0, null, null, 0, what);

    /// <summary>True for an <c>NFT_MSG_NEWGEN</c> message (<c>NFNL_SUBSYS_NFTABLES</c> &lt;&lt; 8 | <c>NFT_MSG_NEWGEN</c>).</summary>
    public static bool IsNewGeneration(NetlinkMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return (ushort)message.Type == ((SubsystemNftables << 8) | MessageNewGeneration);
    }

    /// <summary>True for any message of the nftables subsystem (<c>NFNL_SUBSYS_NFTABLES</c>).</summary>
    public static bool IsNftables(NetlinkMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return (ushort)message.Type >> 8 == SubsystemNftables;
    }

    /// <summary>
    /// Decodes an <c>NFT_MSG_NEWGEN</c> message (<c>struct nfgenmsg</c>, then <c>NFTA_GEN_ID</c>,
    /// <c>NFTA_GEN_PROC_PID</c>, <c>NFTA_GEN_PROC_NAME</c>); <paramref name="objectMessages"/> is
    /// the count of the transaction's other messages. Anything malformed, or a generation without
    /// its id, gives an <see cref="NftEventKind.Unknown"/> event, never an exception.
    /// </summary>
    public static NftEvent DecodeGeneration(NetlinkMessage message, int objectMessages)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!IsNewGeneration(message))
        {
            return Unknown(string.Create(CultureInfo.InvariantCulture, $"not an NFT_MSG_NEWGEN: message type 0x{(ushort)message.Type:x4}"));
        }

        ReadOnlySpan<byte> p = message.Payload;
        if (p.Length < HeaderLength)
        {
            return Unknown(string.Create(CultureInfo.InvariantCulture, $"undecodable NFT_MSG_NEWGEN: nfgenmsg of {p.Length} bytes"));
        }

        uint? id = null;
        int? pid = null;
        string? name = null;
        try
        {
            foreach (var a in new NetlinkAttributes(p[HeaderLength..]))
            {
                switch (a.Type)
                {
                    case AttributeId when a.Value.Length >= 4: id = BinaryPrimitives.ReadUInt32BigEndian(a.Value); break;
                    case AttributeProcessId when a.Value.Length >= 4: pid = BinaryPrimitives.ReadInt32BigEndian(a.Value); break;
                    case AttributeProcessName: name = a.String; break;
                }
            }
        }
        catch (NetlinkFormatException e)
        {
            return Unknown($"undecodable NFT_MSG_NEWGEN ({p.Length} bytes): {e.Message}");
        }

        if (id is not { } generation)
        {
            return Unknown("undecodable NFT_MSG_NEWGEN: no NFTA_GEN_ID");
        }

        string by = (name, pid) switch
        {
            (null, null) => string.Empty,
            (null, { } n) => string.Create(CultureInfo.InvariantCulture, $" by pid {n}"),
            ({ } s, null) => $" by {s}",
            ({ } s, { } n) => string.Create(CultureInfo.InvariantCulture, $" by {s} (pid {n})"),
        };
        return new NftEvent(NftEventKind.Generation, generation, pid, name, objectMessages,
            string.Create(CultureInfo.InvariantCulture, $"nftables generation {generation} committed{by}, {objectMessages} object messages"));
    }
}
