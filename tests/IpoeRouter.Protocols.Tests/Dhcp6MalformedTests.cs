using IpoeRouter.Protocols.Dhcp6;
using IpoeRouter.Protocols.Wire;
using Xunit;

namespace IpoeRouter.Protocols.Tests;

/// <summary>Truncated, overlong and trailing-byte packets: each refused with the field and its offset.</summary>
public sealed class Dhcp6MalformedTests
{
    private static WireFormatException Refused(string hex) =>
        Assert.Throws<WireFormatException>(() => Dhcp6Message.Parse(Convert.FromHexString(hex)));

    [Fact]
    public void Header_Truncated_ThrowsAtOffset1() =>
        Assert.Equal((1, "transaction-id"), (Refused("0112").Offset, Refused("0112").Field));

    [Fact]
    public void OptionLength_PastTheEnd_ThrowsAtTheOptionsOffset()
    {
        var e = Refused("01123456" + "0008" + "0004" + "00");   // ELAPSED_TIME says 4 bytes, 1 follows
        Assert.Equal((4, "option 8"), (e.Offset, e.Field));
    }

    [Fact]
    public void OptionHeader_Truncated_ThrowsAtOffset6()
    {
        var e = Refused("01123456" + "0008" + "00");              // a code, then one byte of length
        Assert.Equal((6, "option length"), (e.Offset, e.Field));
    }

    [Fact]
    public void IaPrefix_Truncated_ThrowsAtOffset9()
    {
        // IAPREFIX at offset 4, its body at 8: preferred lifetime, then only 3 bytes of valid lifetime.
        var e = Refused("01123456" + "001a" + "0007" + "00000e10" + "000e10");
        Assert.Equal((12, "IAPREFIX valid lifetime"), (e.Offset, e.Field));
    }

    [Fact]
    public void IaPrefix_InsideIaPd_OffsetsCountFromThePacket()
    {
        // IA_PD at 4 (body at 8), IAPREFIX at 20 (body at 24): prefix length 129 at offset 32.
        string iaPrefix = "001a" + "0019" + "00000000" + "00000000" + "81" + "20010db8000000000000000000000000";
        var e = Refused("01123456" + "0019" + "0029" + "00000001" + "00000000" + "00000000" + iaPrefix);
        Assert.Equal((32, "IAPREFIX prefix length"), (e.Offset, e.Field));
    }

    [Fact]
    public void ElapsedTime_TrailingByte_IsRefused()
    {
        var e = Refused("01123456" + "0008" + "0003" + "000000");
        Assert.Equal((10, "option 8"), (e.Offset, e.Field));
    }

    [Fact]
    public void Oro_OddLength_IsRefused() => Assert.Equal("ORO", Refused("01123456" + "0006" + "0003" + "001700").Field);

    [Fact]
    public void DomainName_CompressionPointer_IsRefused() =>
        Assert.Equal(("domain label length", 8), (Refused("01123456" + "0040" + "0002" + "c00c").Field, Refused("01123456" + "0040" + "0002" + "c00c").Offset));

    [Fact]
    public void Duid_LongerThan130Bytes_IsRefused() =>
        Assert.Equal("DUID", Refused("01123456" + "0001" + "0083" + "0003" + new string('0', 2 * 129)).Field);

    [Fact]
    public void RelayMessage_IsRefusedAsNotHandled() =>
        Assert.Equal("msg-type", Refused("0c00" + new string('0', 64)).Field);
}
