using System.Net;
using IpoeRouter.Protocols.Dhcp4;
using IpoeRouter.Protocols.Wire;
using Xunit;

namespace IpoeRouter.Protocols.Tests;

/// <summary>Truncated, overlong and inconsistent DHCPv4 packets: each refused with the field and its offset.</summary>
public sealed class Dhcp4MalformedTests
{
    /// <summary>A DISCOVER's header and magic cookie (240 bytes): options start at offset 240.</summary>
    internal static readonly string Header = string.Concat(
        "01", "01", "06", "00", "c0ffee01", "0000", "8000",   // op, htype, hlen, hops, xid, secs, flags
        Zeros(16),                                          // ciaddr, yiaddr, siaddr, giaddr
        "020000000001", Zeros(10), Zeros(64), Zeros(128),   // chaddr, sname, file
        "63825363");                                        // magic cookie (offset 236)

    private static string Zeros(int bytes) => new('0', 2 * bytes);

    private static WireFormatException Refused(string hex) =>
        Assert.Throws<WireFormatException>(() => Dhcp4Message.Parse(Convert.FromHexString(hex)));

    private static (int Offset, string Field) At(string hex)
    {
        WireFormatException e = Refused(hex);
        return (e.Offset, e.Field);
    }

    [Fact]
    public void Header_Truncated_ThrowsAtChaddrOffset28() =>
        Assert.Equal((28, "chaddr"), At(Header[..(2 * 30)]));       // 30 bytes: giaddr ends at 28, 2 bytes of chaddr

    [Fact]
    public void Header_Empty_ThrowsAtOffset0() => Assert.Equal((0, "op"), At(""));

    [Fact]
    public void Header_WithoutMagicCookie_ThrowsAtOffset236() =>
        Assert.Equal((236, "magic cookie"), At(Header[..(2 * 236)]));

    [Fact]
    public void MagicCookie_Wrong_ThrowsAtOffset236() =>
        Assert.Equal((236, "magic cookie"), At(Header[..(2 * 236)] + "63825364" + "ff"));

    [Fact]
    public void Op_Zero_ThrowsAtOffset0() => Assert.Equal((0, "op"), At("00" + Header[2..] + "ff"));

    [Fact]
    public void Hlen_MoreThan16_ThrowsAtOffset2() => Assert.Equal((2, "hlen"), At("0101" + "11" + Header[6..] + "ff"));

    [Fact]
    public void OptionLength_PastTheEnd_ThrowsAtTheOptionsOffset() =>
        Assert.Equal((240, "option 12"), At(Header + "0c" + "08" + "6c616e"));   // host name says 8 bytes, 3 follow

    [Fact]
    public void OptionLength_Missing_ThrowsAtOffset241() => Assert.Equal((241, "option length"), At(Header + "0c"));

    [Fact]
    public void End_Missing_TheEndOfTheDataCountsAsEnd()
    {
        Dhcp4Message m = Dhcp4Message.Parse(Convert.FromHexString(Header + "00" + "350101"));   // PAD, message type, no END

        Assert.Equal(Dhcp4MessageType.Discover, m.MessageType);
        byte[] again = m.ToArray();
        Assert.Equal("350101" + "FF" + Zeros(56), Convert.ToHexString(again, 240, 60));   // END written, padded to 300
    }

    [Fact]
    public void BytesAfterEnd_AreIgnoredAsPadding()
    {
        Dhcp4Message m = Dhcp4Message.Parse(Convert.FromHexString(Header + "350101" + "ff" + "350105" + "0c"));

        Assert.Equal([Dhcp4MessageType.Discover], m.Options.OfType<MessageTypeOption>().Select(o => o.Type));
        Assert.Single(m.Options);
    }

    [Fact]
    public void LeaseTime_TrailingByte_ThrowsAfterTheFourBytes() =>
        Assert.Equal((246, "option 51"), At(Header + "33" + "05" + "00000e10" + "00"));

    [Fact]
    public void LeaseTime_Truncated_ThrowsAtItsData() =>
        Assert.Equal((242, "lease time"), At(Header + "33" + "03" + "000e10"));

    [Fact]
    public void Router_LengthNotAMultipleOf4_ThrowsAtItsData() =>
        Assert.Equal((242, "router"), At(Header + "03" + "05" + "c0000201" + "c0"));

    [Fact]
    public void ClientIdentifier_Empty_ThrowsAtItsData() =>
        Assert.Equal((242, "client identifier type"), At(Header + "3d" + "00"));

    [Fact]
    public void OptionOverload_4_ThrowsAtItsValue() =>
        Assert.Equal((242, "option overload"), At(Header + "34" + "01" + "04"));

    [Fact]
    public void DomainSearch_ForwardPointer_ThrowsAtThePointer() =>
        Assert.Equal((242, "domain compression pointer"), At(Header + "77" + "04" + "c002" + "0100"));   // at 0, points to 2

    [Fact]
    public void DomainSearch_PointerToItself_ThrowsAtThePointer() =>
        Assert.Equal((244, "domain compression pointer"), At(Header + "77" + "04" + "0161" + "c002"));   // "a", then a pointer to itself

    [Fact]
    public void DomainSearch_PointerLoop_ThrowsAtThePointer()
    {
        // "a" then a pointer back to the name's own start: backwards, but it would read "a" forever.
        WireFormatException e = Refused(Header + "77" + "04" + "0161" + "c000");
        Assert.Equal((244, "domain compression pointer"), (e.Offset, e.Field));
    }

    [Fact]
    public void DomainSearch_LoopHiddenInALabel_ThrowsAtTheSecondPointer()
    {
        // Name 1 at 0: one 4-byte label "01 61 c0 01", root. Name 2 at 6: a pointer to 1, inside that label,
        // where "a" and a pointer at 3 back to 1 are found: the second hop leads back to itself.
        WireFormatException e = Refused(Header + "77" + "08" + "04" + "0161c001" + "00" + "c001");
        Assert.Equal((242 + 3, "domain compression pointer"), (e.Offset, e.Field));
    }

    [Fact]
    public void DomainSearch_ValidPointerChain_ReadsEveryName()
    {
        // at 0 "a" 0; at 3 "b" pointer to 0; at 7 pointer to 3
        Dhcp4Message m = Dhcp4Message.Parse(Convert.FromHexString(Header + "77" + "09" + "016100" + "0162c000" + "c003"));
        Assert.Equal(["a", "b.a", "b.a"], m.Find<DomainSearchOption>()!.Domains);
    }

    [Fact]
    public void DomainSearch_ChainOf128Pointers_ThrowsAtThe128th()
    {
        // At 0 and 1 root names; at 2k (k = 1…128) a pointer to 2(k-1). The name at 2k follows k pointers:
        // the one at 256 is the first to need 128. 258 bytes: two instances of 119, 255 + 3.
        string data = "00" + "00" + string.Concat(Enumerable.Range(1, 128).Select(k => $"c0{2 * (k - 1):x2}"));
        string packet = Header + "77" + "ff" + data[..(2 * 255)] + "77" + "03" + data[(2 * 255)..] + "ff";
        Assert.Equal(258, data.Length / 2);

        WireFormatException e = Refused(packet);

        Assert.Equal((244, "domain compression pointer"), (e.Offset, e.Field));   // the 128th, at 2 (in the packet 242 + 2)
    }

    [Fact]
    public void DomainSearch_ReservedLabelType_ThrowsAtTheLabel() =>
        Assert.Equal((242, "domain label length"), At(Header + "77" + "02" + "4100"));

    [Fact]
    public void DomainSearch_NameMissingItsRootLabel_ThrowsAtTheEnd() =>
        Assert.Equal((244, "domain label length"), At(Header + "77" + "02" + "0161"));

    [Fact]
    public void DomainSearch_NameLongerThan255_ThrowsAtTheLabelThatPassesIt()
    {
        // Four 63-byte labels and the root take 257 bytes: sent as 255 + 2 bytes in two instances of 119.
        string data = string.Concat(Enumerable.Repeat("3f" + new string('6', 2 * 63), 4)) + "00";
        WireFormatException e = Refused(Header + "77" + "ff" + data[..(2 * 255)] + "77" + "02" + data[(2 * 255)..] + "ff");
        Assert.Equal((242 + 192, "domain name"), (e.Offset, e.Field));   // the fourth label's length byte
    }

    [Fact]
    public void ClasslessRoute_WidthOver32_ThrowsAtTheWidth() =>
        Assert.Equal((247, "classless route width"), At(Header + "79" + "0a" + "00" + "c0000201" + "21" + "c0000201"));

    [Fact]
    public void ClasslessRoute_BitsPastTheWidth_ThrowsAtTheDestination() =>
        Assert.Equal((243, "classless route destination"), At(Header + "79" + "08" + "14" + "c6336f" + "c0000201"));   // /20 with 198.51.111

    [Fact]
    public void ClasslessRoute_RouterTruncated_ThrowsAtTheRouter() =>
        Assert.Equal((243, "classless route router"), At(Header + "79" + "03" + "00" + "c000"));

    [Fact]
    public void SplitOption_ErrorInTheSecondInstance_ThrowsAtItsOffsetInThePacket()
    {
        // 121 at 240 with 2 bytes (data at 242), 121 again at 244 with 4 bytes (data at 246).
        // Concatenated: 00 c0 00 02 01 | 21: the second route's width 33 is byte 5, in the packet at 246 + 3.
        WireFormatException e = Refused(Header + "79" + "02" + "00c0" + "79" + "04" + "00020121" + "ff");
        Assert.Equal((249, "classless route width"), (e.Offset, e.Field));
    }

    [Fact]
    public void Encode_TwoOptionsWithOneCode_IsRefused() =>
        Assert.Throws<InvalidOperationException>(() => new Dhcp4Message
        {
            Options = [new HostNameOption("a"), new RawDhcp4Option(Dhcp4OptionCode.HostName, new ByteString([0x62]))],
        }.ToArray());

    [Fact]
    public void Encode_RawEndOption_IsRefused() =>
        Assert.Throws<InvalidOperationException>(() => new Dhcp4Message { Options = [new RawDhcp4Option(Dhcp4OptionCode.End, default)] }.ToArray());

    [Fact]
    public void Encode_IPv6Address_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new Dhcp4Message { YourAddress = IPAddress.IPv6Loopback }.ToArray());

    [Fact]
    public void Encode_HardwareAddressOver16Bytes_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new Dhcp4Message { HardwareAddress = new ByteString(new byte[17]) });

    [Fact]
    public void Encode_LabelOver63Bytes_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new DomainSearchOption([new string('a', 64) + ".example"]).GetBody());
}
