using IpoeRouter.Protocols.Dns;
using IpoeRouter.Protocols.Wire;
using Xunit;

namespace IpoeRouter.Protocols.Tests;

/// <summary>Truncated, overlong and inconsistent DNS messages: each refused with the field and its offset.</summary>
public sealed class DnsMalformedTests
{
    private static (int Offset, string Field) At(string hex)
    {
        var e = Assert.Throws<WireFormatException>(() => DnsMessage.Parse(Convert.FromHexString(hex)));
        return (e.Offset, e.Field);
    }

    private static string Hex(byte[] b) => Convert.ToHexString(b);

    private const string OneQuestionHeader = "000101000001000000000000";

    [Fact]
    public void Empty_ThrowsAtIdOffset0() => Assert.Equal((0, "ID"), At(""));

    [Fact]
    public void Header_CutInQdcount_ThrowsAtOffset4() => Assert.Equal((4, "QDCOUNT"), At("0001010000"));

    [Fact]
    public void Question_Missing_ThrowsAtQnameOffset12() => Assert.Equal((12, "QNAME"), At(OneQuestionHeader));

    [Fact]
    public void Label_RunsPastTheEnd_ThrowsAtOffset12() => Assert.Equal((12, "QNAME"), At(OneQuestionHeader + "07657861"));

    [Fact]
    public void Question_WithoutQclass_ThrowsAtOffset19() =>
        Assert.Equal((19, "QCLASS"), At(OneQuestionHeader + "03636f6d00" + "0001"));

    [Fact]
    public void Pointer_ToItself_ThrowsAtOffset12() => Assert.Equal((12, "QNAME"), At(OneQuestionHeader + "c00c00010001"));

    [Fact]
    public void Pointer_Forward_ThrowsAtOffset12() => Assert.Equal((12, "QNAME"), At(OneQuestionHeader + "c00e" + "0001" + "0001"));

    [Fact]
    public void Pointer_Loop_ThrowsAtTheSecondPointer()
    {
        // the answer's name at 29 points to 17, where a pointer to 17 waits: not backwards of 17
        string question = "03636f6d00" + "0001" + "0001";            // com at 12..16, type/class to 21
        string hex = "000181800001000100000000" + question + "c00c" + "0001" + "0001" + "00000000" + "0002" + "c01d";
        // name at 21: c00c -> com; rdata of type A with length 2 -> address length error at 33
        Assert.Equal((33, "address"), At(hex));
        string loop = "000181800001000100000000" + "c00c";         // question name at 12 points to itself
        Assert.Equal((12, "QNAME"), At(loop));
    }

    [Fact]
    public void Pointer_ChainThatComesBack_IsRefused()
    {
        // name at 12: label "a" then pointer to 14; at 14 the pointer again: 14 is not before 14
        Assert.Equal((14, "QNAME"), At(OneQuestionHeader + "0161" + "c00e" + "00010001"));
    }

    [Fact]
    public void Pointer_CutShort_ThrowsAtOffset12() => Assert.Equal((12, "QNAME"), At(OneQuestionHeader + "c0"));

    [Fact]
    public void LabelType01_IsRefusedAtOffset12() => Assert.Equal((12, "QNAME"), At(OneQuestionHeader + "4100" + "00010001"));

    [Fact]
    public void Name_Over255Bytes_IsRefused()
    {
        string labels = string.Concat(Enumerable.Repeat("3f" + new string('6', 126), 4)); // 4 × 64 bytes = 256 > 255
        var (offset, field) = At(OneQuestionHeader + labels + "00" + "00010001");
        Assert.Equal(("QNAME", 12 + 3 * 64), (field, offset));
    }

    [Fact]
    public void Answer_RdataCut_ThrowsAtRdataOffset() =>
        Assert.Equal((Hex(DnsLiteralTests.Answer).Length / 2 - 4, "RDATA"), At(Hex(DnsLiteralTests.Answer)[..^2]));

    [Fact]
    public void Answer_AddressOfFiveBytes_ThrowsAtAddress()
    {
        string hex = Hex(DnsLiteralTests.Answer)[..^12] + "0005" + "c000020101";
        Assert.Equal((DnsLiteralTests.Answer.Length - 4, "address"), At(hex));
    }

    [Fact]
    public void TrailingByte_ThrowsAtTheEnd() =>
        Assert.Equal((DnsLiteralTests.Answer.Length, "end of message"), At(Hex(DnsLiteralTests.Answer) + "00"));

    [Fact]
    public void Count_MoreRecordsThanPresent_ThrowsWhereTheNextWouldStart()
    {
        string hex = Hex(DnsLiteralTests.Answer);
        hex = hex[..12] + "0002" + hex[16..]; // ANCOUNT 2
        Assert.Equal((DnsLiteralTests.Answer.Length, "NAME"), At(hex));
    }

    [Fact]
    public void Soa_RdlengthShorterThanItsNames_ThrowsInsideTheSoa()
    {
        string hex = Hex(DnsLiteralTests.NxDomain);
        // RDLENGTH 0x26 -> 0x05: the mname fits, rname, at 51 (RDATA at 46 + mname 5), runs past the record data
        int rdlength = hex.IndexOf("0026", StringComparison.Ordinal);
        hex = hex[..rdlength] + "0005" + hex[(rdlength + 4)..];
        var (offset, field) = At(hex);
        Assert.Equal(("SOA rname", 51), (field, offset));
    }

    [Fact]
    public void PtrName_LongerThanRdlength_ThrowsInsideTheRdata()
    {
        // PTR (RDATA at 23) with RDLENGTH 2 but a name of 3 bytes ("\x01a\x00"): its root label at 25 is outside
        string hex = "000181800000000100000000" + "00" + "000c" + "0001" + "00000000" + "0002" + "016100";
        Assert.Equal((25, "rdata name"), At(hex));
    }
}
