using IpoeRouter.Linux.Netlink;
using IpoeRouter.Linux.Nft;
using IpoeRouter.Linux.Rtnl;
using Xunit;

namespace IpoeRouter.Linux.Tests;

/// <summary>Event messages as the kernel sends them, byte for byte, decoded into events; damaged ones into Unknown, never an exception.</summary>
public sealed class EventDecodeTests
{
    /// <summary><c>RTM_NEWADDR</c> for 2001:db8:1::1/64 on index 3, permanent; lifetimes and flags as given.</summary>
    private static byte[] NewAddress(byte flags = 0x80, uint preferred = 0xFFFFFFFF, uint valid = 0xFFFFFFFF) =>
    [
        72, 0, 0, 0,                         // nlmsg_len 72
        20, 0,                               // nlmsg_type RTM_NEWADDR
        0, 0,                                // nlmsg_flags
        0, 0, 0, 0,                          // nlmsg_seq
        0, 0, 0, 0,                          // nlmsg_pid (the kernel's multicast)
        10,                                  // ifa_family AF_INET6
        64,                                  // ifa_prefixlen
        flags,                               // ifa_flags (low 8 bits)
        0,                                   // ifa_scope RT_SCOPE_UNIVERSE
        3, 0, 0, 0,                          // ifa_index 3
        20, 0, 1, 0,                         // IFA_ADDRESS, 16 bytes
        0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, // 2001:db8:1::1
        20, 0, 6, 0,                         // IFA_CACHEINFO, struct ifa_cacheinfo
        .. LittleEndian(preferred),          //   ifa_prefered
        .. LittleEndian(valid),              //   ifa_valid
        0x10, 0, 0, 0,                       //   cstamp
        0x10, 0, 0, 0,                       //   tstamp
        8, 0, 8, 0,                          // IFA_FLAGS, u32
        flags, 0, 0, 0,                      //   the full IFA_F_* set
    ];

    /// <summary><c>RTM_DELROUTE</c> for 2001:db8:9::/48 dev 3 proto static, metric 1024, in the table given.</summary>
    private static byte[] DelRoute(byte rtmTable, uint rtaTable) =>
    [
        72, 0, 0, 0,                         // nlmsg_len 72
        25, 0,                               // nlmsg_type RTM_DELROUTE
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0,        // nlmsg_flags, nlmsg_seq, nlmsg_pid
        10,                                  // rtm_family AF_INET6
        48,                                  // rtm_dst_len
        0,                                   // rtm_src_len
        0,                                   // rtm_tos
        rtmTable,                            // rtm_table (8 bits)
        4,                                   // rtm_protocol RTPROT_STATIC
        0,                                   // rtm_scope RT_SCOPE_UNIVERSE
        1,                                   // rtm_type RTN_UNICAST
        0, 0, 0, 0,                          // rtm_flags
        8, 0, 15, 0,                         // RTA_TABLE, u32
        .. LittleEndian(rtaTable),
        20, 0, 1, 0,                         // RTA_DST, 16 bytes
        0x20, 0x01, 0x0d, 0xb8, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // 2001:db8:9::
        8, 0, 6, 0,                          // RTA_PRIORITY, u32
        0, 4, 0, 0,                          //   1024
        8, 0, 4, 0,                          // RTA_OIF, u32
        3, 0, 0, 0,                          //   3
    ];

    /// <summary><c>NFT_MSG_NEWGEN</c>: generation 42 committed by pid 1234, "nft".</summary>
    private static readonly byte[] NewGeneration =
    [
        44, 0, 0, 0,                         // nlmsg_len 44
        0x0f, 0x0a,                          // nlmsg_type NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWGEN
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0,        // nlmsg_flags, nlmsg_seq, nlmsg_pid
        0,                                   // nfgen_family AF_UNSPEC
        0,                                   // version NFNETLINK_V0
        0, 42,                               // res_id (be16: low bits of the generation)
        8, 0, 1, 0,                          // NFTA_GEN_ID, be32
        0, 0, 0, 42,                         //   42
        8, 0, 2, 0,                          // NFTA_GEN_PROC_PID, be32
        0, 0, 0x04, 0xd2,                    //   1234
        8, 0, 3, 0,                          // NFTA_GEN_PROC_NAME, string
        (byte)'n', (byte)'f', (byte)'t', 0,  //   "nft"
    ];

    [Fact]
    public void NewAddress_IsAnAddressEvent_OnItsIndex()
    {
        RtnlEvent e = Assert.Single(RtnlEventListener.Decode(Datagram(NewAddress())));

        Assert.Equal(new RtnlEvent(RtnlEventKind.Address, RtnlEventAction.New, 3, "address 2001:db8:1::1/64 new on index 3"), e);
    }

    [Fact]
    public void NewAddress_WithLifetimesAndTentative_SaysSo()
    {
        RtnlEvent? e = RtnlEvent.Decode(NetlinkMessage.Split(NewAddress(flags: 0x40, preferred: 50, valid: 100)).Single());

        Assert.Equal("address 2001:db8:1::1/64 new on index 3 (tentative, valid 100 s, preferred 50 s)", e?.Summary);
    }

    [Fact]
    public void DelRoute_OfTheMainTable_IsARouteEvent_OnItsOutputIndex()
    {
        RtnlEvent? e = RtnlEvent.Decode(NetlinkMessage.Split(DelRoute(254, 254)).Single());

        Assert.Equal(new RtnlEvent(RtnlEventKind.Route, RtnlEventAction.Deleted, 3, "route 2001:db8:9::/48 dev #3 (proto static) deleted"), e);
    }

    [Theory]
    [InlineData(255, 255u)] // RT_TABLE_LOCAL
    [InlineData(252, 510u)] // RT_TABLE_COMPAT in rtm_table, the real number in RTA_TABLE
    [InlineData(254, 510u)] // rtm_table's 8 bits look like main; RTA_TABLE says otherwise and wins
    public void DelRoute_OfAnotherTable_IsLeftOut(byte rtmTable, uint rtaTable) =>
        Assert.Null(RtnlEvent.Decode(NetlinkMessage.Split(DelRoute(rtmTable, rtaTable)).Single()));

    [Fact]
    public void NewGeneration_GivesItsIdPidAndName()
    {
        NftEvent e = NftEvent.DecodeGeneration(NetlinkMessage.Split(NewGeneration).Single(), objectMessages: 2);

        Assert.Equal(new NftEvent(NftEventKind.Generation, 42, 1234, "nft", 2, "nftables generation 42 committed by nft (pid 1234), 2 object messages"), e);
    }

    [Fact]
    public void NewGeneration_WithoutItsId_IsUnknown()
    {
        byte[] withoutId = [.. NewGeneration];
        withoutId[22] = 9; // NFTA_GEN_ID becomes an attribute type nobody knows

        Assert.Equal(NftEventKind.Unknown, NftEvent.DecodeGeneration(NetlinkMessage.Split(withoutId).Single(), 0).Kind);
    }

    [Fact]
    public void NewGeneration_CutInsideAnAttribute_IsUnknown()
    {
        byte[] cut = [.. NewGeneration.AsSpan(0, 40)];
        cut[0] = 40; // nlmsg_len agrees; NFTA_GEN_PROC_NAME says 8 bytes, only its 4-byte header is left

        Assert.Equal(NftEventKind.Unknown, NftEvent.DecodeGeneration(NetlinkMessage.Split(cut).Single(), 0).Kind);
    }

    [Fact]
    public void TruncatedNewAddress_IsUnknown_NotAnException()
    {
        byte[] cut = [.. NewAddress().AsSpan(0, 20)];
        cut[0] = 20; // nlmsg_len 20: a 4-byte ifaddrmsg

        RtnlEvent e = Assert.Single(RtnlEventListener.Decode(Datagram(cut)));

        Assert.Equal((RtnlEventKind.Unknown, RtnlEventAction.None, 0), (e.Kind, e.Action, e.InterfaceIndex));
    }

    [Fact]
    public void NewAddress_WithAnAttributePastItsEnd_IsUnknown()
    {
        byte[] bad = NewAddress();
        bad[64] = 40; // IFA_FLAGS claims 40 bytes; 8 are left

        Assert.Equal(RtnlEventKind.Unknown, RtnlEvent.Decode(NetlinkMessage.Split(bad).Single())?.Kind);
    }

    [Fact]
    public void DatagramWithADamagedSecondMessage_KeepsTheFirst_AndReportsTheRest()
    {
        byte[] second = DelRoute(254, 254);
        second[0] = 200; // nlmsg_len runs past the datagram

        var events = RtnlEventListener.Decode(Datagram([.. NewAddress(), .. second]));

        Assert.Equal([RtnlEventKind.Address, RtnlEventKind.Unknown], events.Select(e => e.Kind));
    }

    [Fact]
    public void DatagramCutByTheReceiveBuffer_EndsWithUnknown()
    {
        byte[] whole = [.. NewAddress(), .. DelRoute(254, 254)];
        var cut = new NetlinkEventDatagram(NetlinkEventStatus.Datagram, whole[..80], whole.Length);

        var events = RtnlEventListener.Decode(cut);

        Assert.True(cut.Truncated);
        Assert.Equal([RtnlEventKind.Address, RtnlEventKind.Unknown], events.Select(e => e.Kind));
    }

    [Fact]
    public void UnexpectedMessageType_IsUnknown()
    {
        byte[] neighbor = NewAddress();
        neighbor[4] = 28; // RTM_NEWNEIGH: not a group this listener joins

        Assert.Equal(RtnlEventKind.Unknown, RtnlEvent.Decode(NetlinkMessage.Split(neighbor).Single())?.Kind);
    }

    private static NetlinkEventDatagram Datagram(byte[] bytes) => new(NetlinkEventStatus.Datagram, bytes, bytes.Length);

    private static byte[] LittleEndian(uint value) => BitConverter.GetBytes(value);
}
