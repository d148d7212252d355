using System.Net;
using IpoeRouter.Protocols.Dns;
using Xunit;

namespace IpoeRouter.Protocols.Tests;

/// <summary>DNS messages as dig and a resolver send them, annotated field by field, decoded and encoded.</summary>
public sealed class DnsLiteralTests
{
    /// <summary>dig +edns example.com A: one question, an OPT record (payload 1232).</summary>
    internal static readonly byte[] Query = Convert.FromHexString(string.Concat(
        "1a2b", "0120", "0001", "0000", "0000", "0001",        // ID, flags RD AD, QD 1, AN 0, NS 0, AR 1
        "076578616d706c6503636f6d00", "0001", "0001",          // QNAME example.com (offset 12), QTYPE A, QCLASS IN
        "00", "0029", "04d0", "00000000", "0000"));             // OPT: root, type 41, payload 1232, ext-rcode/version/flags 0, RDLENGTH 0

    /// <summary>The answer: one A record whose name is a pointer to the question's name.</summary>
    internal static readonly byte[] Answer = Convert.FromHexString(string.Concat(
        "1a2b", "8180", "0001", "0001", "0000", "0000",        // ID, flags QR RD RA NOERROR, QD 1, AN 1
        "076578616d706c6503636f6d00", "0001", "0001",          // the question
        "c00c", "0001", "0001", "00000e10", "0004", "c0000201")); // NAME -> 12, A, IN, TTL 3600, RDLENGTH 4, 192.0.2.1

    /// <summary>NXDOMAIN for nope.example.com with the zone's SOA in the authority section (RFC 2308 §2.1).</summary>
    internal static readonly byte[] NxDomain = Convert.FromHexString(string.Concat(
        "beef", "8183", "0001", "0000", "0001", "0000",        // ID, flags QR RD RA NXDOMAIN, QD 1, NS 1
        "046e6f7065", "076578616d706c65", "03636f6d", "00",    // QNAME nope (12) example (17) com (25)
        "0001", "0001",                                        // QTYPE A, QCLASS IN
        "c011", "0006", "0001", "00000384", "0026",            // NAME -> 17 (example.com), SOA, IN, TTL 900, RDLENGTH 38
        "026e73c011",                                          // MNAME ns.example.com
        "0a686f73746d6173746572c011",                          // RNAME hostmaster.example.com
        "78a4f3c1", "00001c20", "00000e10", "00093a80", "0000012c")); // serial, refresh 7200, retry 3600, expire 604800, minimum 300

    [Fact]
    public void Query_Parsed_HasQuestionAndOpt()
    {
        DnsMessage m = DnsMessage.Parse(Query);
        Assert.Equal(0x1a2b, m.Id);
        Assert.False(m.IsResponse);
        Assert.True(m.RecursionDesired);
        Assert.Equal(DnsOpcode.Query, m.Opcode);
        Assert.Equal(new DnsQuestion(DnsName.Parse("example.com"), DnsType.A), Assert.Single(m.Questions));
        DnsRecord opt = Assert.Single(m.Additionals);
        Assert.Equal((DnsType.Opt, (DnsClass)1232, 0u), (opt.Type, opt.Class, opt.Ttl));
        Assert.True(opt.Name.IsRoot);
        Assert.Same(opt, m.Opt);
    }

    [Fact]
    public void Answer_Parsed_FollowsThePointer()
    {
        DnsMessage m = DnsMessage.Parse(Answer);
        Assert.True(m.IsResponse && m.RecursionAvailable && !m.Truncated && !m.Authoritative);
        Assert.Equal(DnsResponseCode.NoError, m.ResponseCode);
        DnsRecord a = Assert.Single(m.Answers);
        Assert.Equal(DnsRecord.A(DnsName.Parse("example.com"), IPAddress.Parse("192.0.2.1"), 3600), a);
    }

    [Fact]
    public void NxDomain_Parsed_HasTheSoaWithCompressedNames()
    {
        DnsMessage m = DnsMessage.Parse(NxDomain);
        Assert.Equal(DnsResponseCode.NxDomain, m.ResponseCode);
        DnsRecord soa = Assert.Single(m.Authorities);
        Assert.Equal(DnsName.Parse("example.com"), soa.Name);
        Assert.Equal(900u, soa.Ttl);
        Assert.Equal(new DnsSoaData(DnsName.Parse("ns.example.com"), DnsName.Parse("hostmaster.example.com"), 0x78a4f3c1, 7200, 3600, 604800, 300), soa.Data);
    }

    [Theory]
    [InlineData(nameof(Query))]
    [InlineData(nameof(Answer))]
    [InlineData(nameof(NxDomain))]
    public void Literal_Reencoded_GivesTheSameBytes(string which)
    {
        byte[] bytes = which switch { nameof(Query) => Query, nameof(Answer) => Answer, _ => NxDomain };
        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(DnsMessage.Parse(bytes).ToArray()));
    }

    [Fact]
    public void Answer_Built_EncodesToTheLiteral()
    {
        var question = new DnsQuestion(DnsName.Parse("example.com"), DnsType.A);
        var m = new DnsMessage
        {
            Id = 0x1a2b,
            Flags = 0x8180,
            Questions = [question],
            Answers = [DnsRecord.A(DnsName.Parse("example.com"), IPAddress.Parse("192.0.2.1"), 3600)],
        };
        Assert.Equal(Convert.ToHexString(Answer), Convert.ToHexString(m.ToArray()));
    }

    [Fact]
    public void Aaaa_AndPtr_EncodeAsAnnotated()
    {
        var m = new DnsMessage
        {
            Id = 1,
            Flags = 0x8580, // QR AA RD RA
            Answers =
            [
                DnsRecord.Aaaa(DnsName.Parse("pc.lan"), IPAddress.Parse("2001:db8::1"), 60),
                DnsRecord.Ptr(DnsName.Parse("1.2.0.192.in-addr.arpa"), DnsName.Parse("pc.lan"), 60),
            ],
        };
        string expected = string.Concat(
            "0001", "8580", "0000", "0002", "0000", "0000",
            "027063036c616e00", "001c", "0001", "0000003c", "0010", "20010db8000000000000000000000001", // pc.lan (12) AAAA
            "0131013201300331393207696e2d61646472046172706100", "000c", "0001", "0000003c", "0002", "c00c"); // PTR -> pc.lan
        Assert.Equal(expected.ToUpperInvariant(), Convert.ToHexString(m.ToArray()));
    }

    [Fact]
    public void TooLargeForTheClient_IsTruncatedToQuestionAndOptWithTc()
    {
        DnsMessage m = DnsMessage.Parse(Answer) with { Additionals = DnsMessage.Parse(Query).Additionals };
        DnsMessage cut = DnsMessage.Parse(m.ToArray(40));
        Assert.True(cut.Truncated);
        Assert.Empty(cut.Answers);
        Assert.Single(cut.Questions);
        Assert.Equal(DnsType.Opt, Assert.Single(cut.Additionals).Type);
        Assert.Equal(Convert.ToHexString(m.ToArray()), Convert.ToHexString(m.ToArray(512)));
    }

    [Fact]
    public void Names_CompareWithoutCase_AndKeepTheirCase()
    {
        DnsName n = DnsName.Parse("WwW.Example.COM.");
        Assert.Equal(DnsName.Parse("www.example.com"), n);
        Assert.Equal("WwW.Example.COM", n.ToString());
        Assert.Equal("www.example.com", n.ToLowerKey());
        Assert.True(n.IsSubdomainOf(DnsName.Parse("example.com")));
        Assert.False(DnsName.Parse("example.com").IsSubdomainOf(n));
        Assert.Throws<ArgumentException>(() => DnsName.Parse("a..b"));
        Assert.Throws<ArgumentException>(() => DnsName.Parse(new string('a', 64)));
    }
}
