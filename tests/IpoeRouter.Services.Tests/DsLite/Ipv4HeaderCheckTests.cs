using IpoeRouter.Services.DsLite;
using Xunit;

namespace IpoeRouter.Services.Tests.DsLite;

public sealed class Ipv4HeaderCheckTests
{
    // A 28-byte IPv4/UDP packet, 203.0.113.2 → 192.0.0.2, annotated field by field:
    private const string Valid28 =
        "45" +       // version 4, IHL 5 (20 bytes)
        "00" +       // DSCP/ECN
        "001C" +     // total length 28
        "1234" +     // identification
        "4000" +     // DF, fragment offset 0
        "40" +       // TTL 64
        "11" +       // protocol 17 (UDP)
        "0000" +     // header checksum (not checked here: ip_rcv does)
        "CB007102" + // source 203.0.113.2
        "C0000002" + // destination 192.0.0.2
        "0FA0270F" + // UDP 4000 → 9999
        "00080000";  // UDP length 8, no checksum

    [Theory]
    [InlineData(Valid28, Ipv4Verdict.Valid, 28)]
    [InlineData(Valid28 + "0000", Ipv4Verdict.Valid, 28)] // padding after the total length is not forwarded
    [InlineData("46" + "00" + "0022" + "12344000401100" + "00CB007102C0000002" + "01010000" + "0FA0270F00080000", Ipv4Verdict.BadTotalLength, 0)] // total 34 > 32 read
    [InlineData("46" + "00" + "001C" + "12344000401100" + "00CB007102C0000002" + "01010000" + "0FA0270F", Ipv4Verdict.Valid, 28)] // IHL 6: one option word
    [InlineData("45000014" + "12344000401100" + "00CB007102C0000002", Ipv4Verdict.Valid, 20)] // header only
    [InlineData("450000131234400040110000CB007102C00000", Ipv4Verdict.TooShort, 0)] // 19 bytes
    [InlineData("", Ipv4Verdict.TooShort, 0)]
    [InlineData("6000000000080440" + "20010DB8000400000000000000000001" + "20010DB8000400000000000000000002", Ipv4Verdict.NotVersion4, 0)] // an IPv6 header
    [InlineData("44" + "00001C12344000401100" + "00CB007102C0000002" + "0FA0270F00080000", Ipv4Verdict.BadHeaderLength, 0)] // IHL 4 < 5
    [InlineData("4F" + "00001C12344000401100" + "00CB007102C0000002" + "0FA0270F00080000", Ipv4Verdict.BadHeaderLength, 0)] // IHL 15 = 60 bytes > 28 read
    [InlineData("45" + "000013" + "12344000401100" + "00CB007102C0000002" + "0FA0270F00080000", Ipv4Verdict.BadTotalLength, 0)] // total 19 < header 20
    [InlineData("45" + "00FFFF" + "12344000401100" + "00CB007102C0000002" + "0FA0270F00080000", Ipv4Verdict.BadTotalLength, 0)] // total 65535 > 28 read
    public void Check_GivesTheVerdictAndTheLengthToForward(string hex, Ipv4Verdict expected, int expectedLength)
    {
        Ipv4Verdict verdict = Ipv4HeaderCheck.Check(Convert.FromHexString(hex), out int total);
        Assert.Equal((expected, expectedLength), (verdict, total));
    }
}
