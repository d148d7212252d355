using System.Buffers.Binary;
using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Netlink;

namespace IpoeRouter.Linux.Nft;

/// <summary>
/// The nftables ruleset generation id (<c>NFT_MSG_GETGEN</c>): it changes with every committed
/// change to any table, so a reader that remembers it after its own apply can skip listing its
/// table until it moves.
/// </summary>
public static class NftGeneration
{
    /// <summary><c>NFNL_SUBSYS_NFTABLES</c> &lt;&lt; 8 | <c>NFT_MSG_GETGEN</c>.</summary>
    private const ushort GetGen = (10 << 8) | 16;

    /// <summary><c>NFTA_GEN_ID</c> (be32).</summary>
    private const ushort AttributeId = 1;

    /// <summary>The current generation id, read through a netfilter socket.</summary>
    public static uint Read(NetlinkSocket netfilter)
    {
        // struct nfgenmsg: family AF_UNSPEC, version NFNETLINK_V0, res_id 0.
        var request = new NetlinkMessageBuilder((NetlinkMessageType)GetGen, NetlinkFlags.Request).Fixed([0, 0, 0, 0]);
        NetlinkMessage reply = netfilter.Query(request, "nft list ruleset (generation id)");
        if (reply.Payload.Length < 4)
        {
            throw new NetlinkFormatException($"NFT_MSG_NEWGEN of {reply.Payload.Length} bytes");
        }

        foreach (var a in new NetlinkAttributes(reply.Payload.AsSpan(4)))
        {
            if (a.Type == AttributeId && a.Value.Length >= 4)
            {
                return BinaryPrimitives.ReadUInt32BigEndian(a.Value);
            }
        }

        throw new NetlinkFormatException("NFT_MSG_NEWGEN without NFTA_GEN_ID");
    }
}
