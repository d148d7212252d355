using System.Net;
using IpoeRouter.Protocols.Dns;
using IpoeRouter.Services.DnsForwarder;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace IpoeRouter.Services.Tests;

/// <summary>The names of DHCP clients under the scope's domain, their PTRs, and what never leaves the router.</summary>
public sealed class DnsLocalNamesTests
{
    private readonly LocalNames _names = new("home.arpa");

    private DnsMessage? Ask(string name, DnsType type) => _names.TryAnswer(DnsResolverCoreTests.Query(name, type));

    public DnsLocalNamesTests()
    {
        Assert.True(_names.Set("laptop", IPAddress.Parse("192.168.1.20")));
        Assert.True(_names.SetIPv6("laptop", [IPAddress.Parse("2001:db8:1::20"), IPAddress.Parse("fd00::20")]));
        Assert.True(_names.Set("printer", IPAddress.Parse("192.168.1.30")));
    }

    [Fact]
    public void KnownHost_A_IsAnsweredAuthoritatively()
    {
        DnsMessage a = Ask("Laptop.home.arpa", DnsType.A)!;
        Assert.True(a.Authoritative);
        Assert.Equal(DnsResponseCode.NoError, a.ResponseCode);
        DnsRecord r = Assert.Single(a.Answers);
        Assert.Equal(new DnsAddressData(IPAddress.Parse("192.168.1.20")), r.Data);
        Assert.Equal(60u, r.Ttl);
    }

    [Fact]
    public void KnownHost_Aaaa_GivesEveryAddress()
    {
        DnsMessage a = Ask("laptop.home.arpa", DnsType.Aaaa)!;
        Assert.Equal(["2001:db8:1::20", "fd00::20"], a.Answers.Select(r => ((DnsAddressData)r.Data).Address.ToString()));
    }

    [Fact]
    public void KnownHostWithoutIPv6_Aaaa_IsNoDataWithSoa()
    {
        DnsMessage a = Ask("printer.home.arpa", DnsType.Aaaa)!;
        Assert.Equal(DnsResponseCode.NoError, a.ResponseCode);
        Assert.Empty(a.Answers);
        Assert.Equal(DnsType.Soa, Assert.Single(a.Authorities).Type);
    }

    [Fact]
    public void UnknownHostInTheDomain_IsNxDomainHere()
    {
        DnsMessage a = Ask("ghost.home.arpa", DnsType.A)!;
        Assert.Equal(DnsResponseCode.NxDomain, a.ResponseCode);
        Assert.Equal(DnsType.Soa, Assert.Single(a.Authorities).Type);
        Assert.Equal(DnsResponseCode.NxDomain, Ask("a.b.home.arpa", DnsType.A)!.ResponseCode);
    }

    [Fact]
    public void Ptr_ForKnownAddresses_NamesTheHost()
    {
        Assert.Equal(new DnsNameData(DnsName.Parse("laptop.home.arpa")), Assert.Single(Ask("20.1.168.192.in-addr.arpa", DnsType.Ptr)!.Answers).Data);
        string nibbles = "0.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa";
        Assert.Equal(new DnsNameData(DnsName.Parse("laptop.home.arpa")), Assert.Single(Ask(nibbles, DnsType.Ptr)!.Answers).Data);
    }

    [Fact]
    public void Ptr_ForUnknownPrivateAddress_IsNxDomainHere_PublicIsForwarded()
    {
        Assert.Equal(DnsResponseCode.NxDomain, Ask("99.1.168.192.in-addr.arpa", DnsType.Ptr)!.ResponseCode);
        Assert.Equal(DnsResponseCode.NxDomain, Ask("1.0.0.10.in-addr.arpa", DnsType.Ptr)!.ResponseCode);
        Assert.Equal(DnsResponseCode.NoError, Ask("168.192.in-addr.arpa", DnsType.Soa)!.ResponseCode); // inside the range, not an address
        Assert.Null(Ask("1.2.0.192.in-addr.arpa", DnsType.Ptr)); // a public (documentation) address: upstream's business
        Assert.Null(Ask("192.in-addr.arpa", DnsType.Ns));
        Assert.Null(Ask("www.example.com", DnsType.A));
    }

    [Fact]
    public void Ptr_ForAnUnknownAddressInALanPrefix_IsNxDomainHere()
    {
        string nibbles = "9.9.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa";
        Assert.Null(Ask(nibbles, DnsType.Ptr));
        _names.SetLanPrefixes([IPNetwork.Parse("2001:db8:1::/64")]);
        Assert.Equal(DnsResponseCode.NxDomain, Ask(nibbles, DnsType.Ptr)!.ResponseCode);
    }

    [Fact]
    public void Remove_ForgetsNameAndPtr()
    {
        _names.Remove("laptop");
        Assert.Equal(DnsResponseCode.NxDomain, Ask("laptop.home.arpa", DnsType.A)!.ResponseCode);
        Assert.Equal(DnsResponseCode.NxDomain, Ask("20.1.168.192.in-addr.arpa", DnsType.Ptr)!.ResponseCode);
    }

    [Fact]
    public void NewAddress_ReplacesTheOldPtr()
    {
        _names.Set("printer", IPAddress.Parse("192.168.1.31"));
        Assert.Equal(DnsResponseCode.NxDomain, Ask("30.1.168.192.in-addr.arpa", DnsType.Ptr)!.ResponseCode);
        Assert.Single(Ask("31.1.168.192.in-addr.arpa", DnsType.Ptr)!.Answers);
    }

    [Fact]
    public void InvalidHostnames_AreNotSet()
    {
        Assert.False(_names.Set("my laptop", IPAddress.Parse("192.168.1.40")));
        Assert.False(_names.Set("a.b", IPAddress.Parse("192.168.1.40")));
        Assert.False(_names.Set("-x", IPAddress.Parse("192.168.1.40")));
        Assert.False(_names.Set("ok", IPAddress.Parse("2001:db8::1")));
        Assert.Null(Ask("40.1.168.192.in-addr.arpa", DnsType.Ptr)?.Answers.SingleOrDefault());
    }

    [Fact]
    public void Core_AnswersLocalNamesWithoutForwarding_AndCountsThem()
    {
        var core = new DnsResolverCore(_names, new FakeTimeProvider());
        Assert.Equal(DnsDecisionKind.Answer, core.Decide(DnsResolverCoreTests.Query("ghost.home.arpa")).Kind);
        Assert.Equal(DnsDecisionKind.Answer, core.Decide(DnsResolverCoreTests.Query("5.5.168.192.in-addr.arpa", DnsType.Ptr)).Kind);
        Assert.Equal(2, core.Counters.LocalAnswers);
        Assert.Equal(0, core.Counters.Forwarded);
    }
}
