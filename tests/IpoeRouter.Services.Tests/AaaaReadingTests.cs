using System.Net;
using IpoeRouter.Protocols.Dns;
using IpoeRouter.Services.DsLite;
using Xunit;

namespace IpoeRouter.Services.Tests;

/// <summary>Reading one reply to "aftr.example AAAA?": the CNAME chain, the TTL, what is ignored, and each kind of failure.</summary>
public sealed class AaaaReadingTests
{
    private static readonly DnsName Aftr = DnsName.Parse("aftr.example");
    private static readonly IPAddress A1 = IPAddress.Parse("2001:db8:aa::1");
    private static readonly IPAddress A2 = IPAddress.Parse("2001:db8:aa::2");

    [Fact]
    public void Read_TwoAaaa_BothInOrderWithTheSmallerTtl()
    {
        AaaaReading r = AaaaReading.Read(Aftr, Reply(DnsResponseCode.NoError, DnsRecord.Aaaa(Aftr, A2, 300), DnsRecord.Aaaa(Aftr, A1, 200), DnsRecord.Aaaa(Aftr, A2, 300)));

        Assert.True(r.Found);
        Assert.Equal(new[] { A2, A1 }, r.Addresses);
        Assert.Equal(TimeSpan.FromSeconds(200), r.Ttl);
        Assert.Empty(r.Aliases);
    }

    [Fact]
    public void Read_CnameChain_FollowedToItsAaaaWithTheSmallestTtlAlongIt()
    {
        DnsName b = DnsName.Parse("b.example"), c = DnsName.Parse("C.Example");
        AaaaReading r = AaaaReading.Read(Aftr, Reply(DnsResponseCode.NoError,
            Cname(Aftr, b, 600), Cname(DnsName.Parse("B.EXAMPLE"), DnsName.Parse("c.example"), 100), DnsRecord.Aaaa(c, A1, 300)));

        Assert.Equal(new[] { A1 }, r.Addresses);
        Assert.Equal(TimeSpan.FromSeconds(100), r.Ttl);
        Assert.Equal(new[] { b, c }, r.Aliases);
    }

    [Fact]
    public void Read_RecordsOffTheChain_Ignored()
    {
        AaaaReading r = AaaaReading.Read(Aftr, Reply(DnsResponseCode.NoError,
            DnsRecord.Aaaa(DnsName.Parse("other.example"), A2, 300),
            new DnsRecord(Aftr, DnsType.Aaaa, DnsClass.Ch, 300, new DnsAddressData(A2)),
            DnsRecord.A(Aftr, IPAddress.Parse("192.0.2.1"), 300)));

        Assert.False(r.Found);
        Assert.Empty(r.Addresses);
        Assert.Equal("no AAAA record", r.Failure);
        Assert.False(r.Retry);
    }

    [Fact]
    public void Read_CnameWithoutItsTarget_NoAaaaForTheTarget()
    {
        AaaaReading r = AaaaReading.Read(Aftr, Reply(DnsResponseCode.NoError, Cname(Aftr, DnsName.Parse("b.example"), 60)));

        Assert.Equal("no AAAA record for b.example (CNAME)", r.Failure);
    }

    [Fact]
    public void Read_NxdomainAfterCname_NamesTheMissingTarget()
    {
        Assert.Equal("NXDOMAIN", AaaaReading.Read(Aftr, Reply(DnsResponseCode.NxDomain)).Failure);
        Assert.Equal("NXDOMAIN for b.example (CNAME)", AaaaReading.Read(Aftr, Reply(DnsResponseCode.NxDomain, Cname(Aftr, DnsName.Parse("b.example"), 60))).Failure);
    }

    [Fact]
    public void Read_CnameLoop_Fails()
    {
        DnsName b = DnsName.Parse("b.example");
        AaaaReading r = AaaaReading.Read(Aftr, Reply(DnsResponseCode.NoError, Cname(Aftr, b, 60), Cname(b, Aftr, 60), DnsRecord.Aaaa(DnsName.Parse("x.example"), A1, 60)));

        Assert.False(r.Found);
        Assert.Equal("CNAME loop at aftr.example", r.Failure);
    }

    [Fact]
    public void Read_ChainOfEightAliases_FollowedButNine_Fails()
    {
        Assert.True(AaaaReading.Read(Aftr, Chain(AaaaReading.MaxAliases)).Found);
        Assert.Equal($"CNAME chain longer than {AaaaReading.MaxAliases}", AaaaReading.Read(Aftr, Chain(AaaaReading.MaxAliases + 1)).Failure);
    }

    [Fact]
    public void Read_TtlWithTheTopBitSet_CountsAsZero()
    {
        Assert.Equal(TimeSpan.Zero, AaaaReading.Read(Aftr, Reply(DnsResponseCode.NoError, DnsRecord.Aaaa(Aftr, A1, 0x80000000))).Ttl);
    }

    [Theory]
    [InlineData(DnsResponseCode.ServFail, "SERVFAIL", true)]
    [InlineData(DnsResponseCode.Refused, "REFUSED", false)]
    [InlineData(DnsResponseCode.FormErr, "RCODE 1 (FormErr)", false)]
    public void Read_ErrorCode_FailsAndOnlyServfailIsWorthAskingAgain(DnsResponseCode code, string failure, bool retry)
    {
        AaaaReading r = AaaaReading.Read(Aftr, Reply(code, DnsRecord.Aaaa(Aftr, A1, 60)));

        Assert.Equal((failure, retry), (r.Failure, r.Retry));
        Assert.Empty(r.Addresses);
    }

    private static DnsRecord Cname(DnsName from, DnsName to, uint ttl) => new(from, DnsType.Cname, DnsClass.In, ttl, new DnsNameData(to));

    private static DnsMessage Chain(int aliases)
    {
        var records = new List<DnsRecord>();
        DnsName current = Aftr;
        for (int i = 0; i < aliases; i++)
        {
            DnsName next = DnsName.Parse($"hop{i}.example");
            records.Add(Cname(current, next, 60));
            current = next;
        }

        records.Add(DnsRecord.Aaaa(current, A1, 60));
        return Reply(DnsResponseCode.NoError, [.. records]);
    }

    private static DnsMessage Reply(DnsResponseCode code, params DnsRecord[] answers)
    {
        var query = new DnsMessage { Id = 7, Flags = DnsMessage.QueryFlags(), Questions = [new DnsQuestion(Aftr, DnsType.Aaaa)] };
        return query with { Flags = DnsMessage.ResponseFlags(query, code, authoritative: false), Answers = answers };
    }
}
