using System.Text;
using IpoeRouter.Protocols.Dhcp4;
using IpoeRouter.Protocols.Wire;
using Xunit;

namespace IpoeRouter.Protocols.Tests;

/// <summary>Options longer than 255 bytes (RFC 3396): split in instances of one code on encode, concatenated on decode.</summary>
public sealed class Dhcp4LongOptionTests
{
    private static readonly string[] s_domains =
    [
        new string('a', 60) + ".test", new string('b', 60) + ".test", new string('c', 60) + ".test",
        new string('d', 60) + ".test", new string('e', 60) + ".test",
    ];

    /// <summary>The Domain Search data for <see cref="s_domains"/>: 319 bytes, pointers counted from its first byte.</summary>
    private static readonly string s_searchData = string.Concat(
        Label('a'), "04", "74657374", "00",   // at 0: 60 "aaa…", 4 "test" (at 61), root: 67 bytes
        Label('b'), "c03d",                   // at 67: 60 "bbb…", pointer to 61 ("test"): 63 bytes
        Label('c'), "c03d",                   // at 130
        Label('d'), "c03d",                   // at 193: its pointer (254–255) runs across the split at 255
        Label('e'), "c03d");                  // at 256, ends at 319

    /// <summary>The message with that option split: 119 with the first 255 bytes, 119 with the other 64.</summary>
    private static readonly string s_split = string.Concat(
        Dhcp4MalformedTests.Header,           // a DISCOVER's header and cookie; options at 240
        "77", "ff", s_searchData[..(2 * 255)], // 119, len 255: bytes 0–254
        "77", "40", s_searchData[(2 * 255)..], // 119, len 64: bytes 255–318
        "ff");                                // END (564 bytes, no padding)

    private static string Label(char c) => "3c" + Convert.ToHexString(Encoding.ASCII.GetBytes(new string(c, 60)));

    private static Dhcp4Message Discover(params Dhcp4Option[] options) =>
        Dhcp4Message.Parse(Convert.FromHexString(Dhcp4MalformedTests.Header + "ff")) with { Options = options };

    [Fact]
    public void DomainSearch_InTwoInstances_ParsesAsOneList()
    {
        Assert.Equal(319, s_searchData.Length / 2);

        Dhcp4Message m = Dhcp4Message.Parse(Convert.FromHexString(s_split));

        DomainSearchOption search = Assert.IsType<DomainSearchOption>(Assert.Single(m.Options));
        Assert.Equal(s_domains, search.Domains);
    }

    [Fact]
    public void DomainSearch_Over255Bytes_EncodesAsTwoInstances()
    {
        byte[] bytes = Discover(new DomainSearchOption(s_domains)).ToArray();

        Assert.Equal(s_split, Convert.ToHexString(bytes), ignoreCase: true);
    }

    [Fact]
    public void Instances_ApartFromEachOther_AreConcatenatedInOrder()
    {
        string packet = string.Concat(
            Dhcp4MalformedTests.Header,
            "77", "ff", s_searchData[..(2 * 255)],    // 119, first part
            "35", "01", "05",                         // 53 message type ACK, between the parts
            "77", "40", s_searchData[(2 * 255)..],    // 119, second part
            "ff");

        Dhcp4Message m = Dhcp4Message.Parse(Convert.FromHexString(packet));

        Assert.Equal(s_domains, Assert.IsType<DomainSearchOption>(m.Options[0]).Domains);
        Assert.Equal(Dhcp4MessageType.Ack, Assert.IsType<MessageTypeOption>(m.Options[1]).Type);
        byte[] again = m.ToArray();
        Assert.Equal(Convert.ToHexString(again), Convert.ToHexString(Dhcp4Message.Parse(again).ToArray()));
        Assert.Equal(s_split[..^2] + "350105" + "FF", Convert.ToHexString(again), ignoreCase: true);   // the parts written together, first
    }

    [Fact]
    public void UnknownOption_Of600Bytes_IsSplit255_255_90_AndJoinedBack()
    {
        byte[] data = [.. Enumerable.Range(0, 600).Select(i => (byte)i)];
        byte[] bytes = Discover(new RawDhcp4Option(224, new ByteString(data))).ToArray();

        Assert.Equal((224, 255), (bytes[240], bytes[241]));
        Assert.Equal((224, 255), (bytes[240 + 257], bytes[241 + 257]));
        Assert.Equal((224, 90), (bytes[240 + 514], bytes[241 + 514]));
        Assert.Equal(0xff, bytes[240 + 514 + 92]);
        RawDhcp4Option raw = Assert.IsType<RawDhcp4Option>(Assert.Single(Dhcp4Message.Parse(bytes).Options));
        Assert.Equal(new ByteString(data), raw.Data);
    }

    [Fact]
    public void EmptyOption_IsOneInstanceOfLength0() =>
        Assert.Equal("E000FF", Convert.ToHexString(Discover(new RawDhcp4Option(224, default)).ToArray(), 240, 3));
}
