using System.Buffers.Binary;
using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Netlink;
using Xunit;

namespace IpoeRouter.Linux.Tests;

public sealed class CodecTests
{
    [Fact]
    public void Builder_NestedAttributes_BackPatchesLengthsAndPadsToFour()
    {
        var m = new NetlinkMessageBuilder(NetlinkMessageType.NewLink, NetlinkFlags.Request).IfInfoMsg();
        int outer = m.BeginNested(Ifla.LinkInfo);
        m.AttributeString(IflaInfo.Kind, "veth", terminate: false); // 4 + 4 = 8
        m.AttributeU8(99, 7);                                      // 4 + 1, padded to 8
        m.EndNested(outer);
        byte[] bytes = m.Finish(0x01020304, 0);

        Assert.Equal(16 + 16 + 4 + 8 + 8, bytes.Length);
        Assert.Equal((uint)bytes.Length, BinaryPrimitives.ReadUInt32LittleEndian(bytes));                 // nlmsg_len
        Assert.Equal(0x01020304u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));            // nlmsg_seq
        Assert.Equal(20, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(32)));                    // nest length: 4 + 8 + 8
        Assert.Equal(Ifla.LinkInfo, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(34)));
        Assert.Equal(5, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(44)));                     // u8 attr: len 5
        Assert.Equal([7, 0, 0, 0], bytes.AsSpan(48, 4).ToArray());                                      // value + zero padding
    }

    [Fact]
    public void Attributes_LengthPastTheEnd_ThrowsWithOffset()
    {
        byte[] data = [8, 0, 1, 0, 1, 2, 3, 4, 12, 0, 2, 0, 9, 9];
        var e = Assert.Throws<NetlinkFormatException>(() =>
        {
            int n = 0;
            foreach (var a in new NetlinkAttributes(data))
            {
                n += a.Value.Length;
            }
        });
        Assert.Contains("offset 8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Attributes_LengthShorterThanHeader_Throws() =>
        Assert.Throws<NetlinkFormatException>(() =>
        {
            foreach (var a in new NetlinkAttributes([2, 0, 1, 0]))
            {
                _ = a.Type;
            }
        });

    [Fact]
    public void Split_MessageLongerThanDatagram_Throws()
    {
        byte[] datagram = new byte[20];
        BinaryPrimitives.WriteUInt32LittleEndian(datagram, 64);
        Assert.Throws<NetlinkFormatException>(() => NetlinkMessage.Split(datagram));
    }

    [Fact]
    public void ReadError_WithExtendedAck_GivesErrnoAndKernelText()
    {
        // NLMSG_ERROR, flags CAPPED|ACK_TLVS: error -19 (4 bytes), the echoed request header only
        // (16 bytes, its nlmsg_len says 32), then NLMSGERR_ATTR_MSG.
        byte[] fixedPart = new byte[20];
        BinaryPrimitives.WriteInt32LittleEndian(fixedPart, -19);
        BinaryPrimitives.WriteUInt32LittleEndian(fixedPart.AsSpan(4), 32);
        byte[] payload = [.. fixedPart, .. Attr(1, "No such device\0"u8.ToArray())];
        var message = new NetlinkMessage(NetlinkMessageType.Error, NetlinkFlags.Capped | NetlinkFlags.AckTlvs, 5, 77, payload);

        var (errno, text) = message.ReadError();

        Assert.Equal(19, errno);
        Assert.Equal("No such device", text);
    }

    [Fact]
    public void ReadError_Ack_IsErrnoZero()
    {
        var message = new NetlinkMessage(NetlinkMessageType.Error, NetlinkFlags.Capped, 1, 1, new byte[20]);
        Assert.Equal((0, (string?)null), message.ReadError());
    }

    private static byte[] Attr(ushort type, byte[] value)
    {
        byte[] a = new byte[NetlinkMessageBuilder.Align(4 + value.Length)];
        BinaryPrimitives.WriteUInt16LittleEndian(a, (ushort)(4 + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(a.AsSpan(2), type);
        value.CopyTo(a, 4);
        return a;
    }
}
