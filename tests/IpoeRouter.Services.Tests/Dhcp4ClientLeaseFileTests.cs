using System.Net;
using System.Text;
using IpoeRouter.Services.Dhcp4Client;
using Xunit;

namespace IpoeRouter.Services.Tests;

/// <summary>The DHCPv4 client's lease file: what is written reads back equal; a damaged file is a named error.</summary>
public sealed class Dhcp4ClientLeaseFileTests
{
    private static readonly Dhcp4Lease s_lease = new(
        IPAddress.Parse("192.0.2.100"),
        24,
        IPAddress.Parse("192.0.2.1"),
        [IPAddress.Parse("192.0.2.1")],
        [IPAddress.Parse("192.0.2.53"), IPAddress.Parse("192.0.2.54")],
        "hgw.example",
        TimeSpan.FromSeconds(3600),
        TimeSpan.FromSeconds(1800),
        TimeSpan.FromSeconds(3150),
        new DateTimeOffset(2026, 12, 3, 5, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Lease_RoundTrips()
    {
        Dhcp4Lease back = Dhcp4ClientLeaseFile.Deserialize(Dhcp4ClientLeaseFile.Serialize(s_lease), "wan4.json");
        Assert.Equal(s_lease.ToString(), back.ToString());
        Assert.Equal(s_lease.Routers, back.Routers);
        Assert.Equal(s_lease.DnsServers, back.DnsServers);
        Assert.Equal(s_lease with { Routers = back.Routers, DnsServers = back.DnsServers }, back);
    }

    [Fact]
    public void InfiniteLease_WithoutDomain_RoundTrips_AsNullSeconds()
    {
        Dhcp4Lease infinite = s_lease with { LeaseTime = TimeSpan.MaxValue, T1 = TimeSpan.MaxValue, T2 = TimeSpan.MaxValue, DomainName = null, Routers = [] };
        byte[] bytes = Dhcp4ClientLeaseFile.Serialize(infinite);
        Assert.Contains("\"leaseTime\": null", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Dhcp4Lease back = Dhcp4ClientLeaseFile.Deserialize(bytes, "wan4.json");
        Assert.Equal(TimeSpan.MaxValue, back.LeaseTime);
        Assert.Null(back.DomainName);
        Assert.Equal(DateTimeOffset.MaxValue, back.ExpiresAt);
    }

    [Fact]
    public void TruncatedFile_ThrowsNamingTheFileAndPosition()
    {
        byte[] bytes = Dhcp4ClientLeaseFile.Serialize(s_lease);
        var e = Assert.Throws<Dhcp4LeaseFileException>(() => Dhcp4ClientLeaseFile.Deserialize(bytes.AsSpan(0, bytes.Length / 2), "/var/lib/ipoe/wan4.json"));
        Assert.StartsWith("/var/lib/ipoe/wan4.json:", e.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(e.InnerException);
    }

    [Theory]
    [InlineData("2001:db8::1/64", "192.0.2.1")] // not IPv4
    [InlineData("192.0.2.100", "192.0.2.1")] // no length
    [InlineData("192.0.2.100/33", "192.0.2.1")]
    [InlineData("192.0.2.100/24", "hgw")]
    public void BadValue_ThrowsNamingTheFile(string address, string server)
    {
        string json = Encoding.UTF8.GetString(Dhcp4ClientLeaseFile.Serialize(s_lease))
            .Replace("\"192.0.2.100/24\"", $"\"{address}\"", StringComparison.Ordinal)
            .Replace("\"serverId\": \"192.0.2.1\"", $"\"serverId\": \"{server}\"", StringComparison.Ordinal);
        var e = Assert.Throws<Dhcp4LeaseFileException>(() => Dhcp4ClientLeaseFile.Deserialize(Encoding.UTF8.GetBytes(json), "wan4.json"));
        Assert.StartsWith("wan4.json: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownProperty_IsAnError()
    {
        string json = Encoding.UTF8.GetString(Dhcp4ClientLeaseFile.Serialize(s_lease)).Replace("{", "{ \"gateway\": \"192.0.2.1\",", StringComparison.Ordinal);
        Assert.Throws<Dhcp4LeaseFileException>(() => Dhcp4ClientLeaseFile.Deserialize(Encoding.UTF8.GetBytes(json), "wan4.json"));
    }
}
