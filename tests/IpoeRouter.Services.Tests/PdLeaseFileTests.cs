using System.Net;
using System.Text;
using IpoeRouter.Protocols.Dhcp6;
using IpoeRouter.Protocols.Wire;
using IpoeRouter.Services.Dhcp6PdClient;
using Xunit;

namespace IpoeRouter.Services.Tests;

public sealed class PdLeaseFileTests
{
    private static readonly Duid s_client = new DuidLl(DuidLl.Ethernet, new ByteString([0x00, 0x0d, 0xb9, 0, 0, 1]));
    private static readonly Duid s_server = new DuidEn(32473, new ByteString([1, 2, 3]));
    private static readonly DateTimeOffset s_t0 = new(2026, 11, 25, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void Record_ReadsBackEqual_IncludingInfiniteLifetimesAndTheDuid()
    {
        var lease = new PdLease(s_server, TimeSpan.FromSeconds(7200), TimeSpan.MaxValue, s_t0,
            [
                new LeasedPrefix(IPAddress.Parse("2001:db8:1230::"), 60, TimeSpan.FromSeconds(12600), TimeSpan.FromSeconds(14400), s_t0),
                new LeasedPrefix(IPAddress.Parse("2001:db8:ff00::"), 56, TimeSpan.MaxValue, TimeSpan.MaxValue, s_t0.AddMinutes(-3)),
            ],
            [IPAddress.Parse("2001:db8::53")],
            "dslite.example.net");

        byte[] json = PdLeaseFile.Serialize(new PdClientRecord(s_client, lease));
        PdClientRecord loaded = PdLeaseFile.Deserialize(json, "pd.json");

        Assert.Equal(s_client, loaded.ClientId);
        Assert.Equal(lease with { Prefixes = [], DnsServers = [] }, loaded.Lease! with { Prefixes = [], DnsServers = [] });
        Assert.Equal(lease.Prefixes, loaded.Lease!.Prefixes);
        Assert.Equal(lease.DnsServers, loaded.Lease.DnsServers);
        Assert.Contains("\"prefix\": \"2001:db8:1230::/60\"", Encoding.UTF8.GetString(json)); // readable by a person
    }

    [Fact]
    public void RecordWithoutLease_KeepsTheDuid() =>
        Assert.Equal(new PdClientRecord(s_client, null), PdLeaseFile.Deserialize(PdLeaseFile.Serialize(new PdClientRecord(s_client, null)), "pd.json"));

    [Theory]
    [InlineData("{ \"clientId\": \"0003000100\n", "pd.json:1:")]
    [InlineData("{ \"clientId\": \"0003\", \"lease\": null, \"extra\": 1 }", "extra")]
    [InlineData("{ \"clientId\": \"zz\", \"lease\": null }", "bad value")]
    [InlineData("{ \"lease\": null }", "clientId")]
    public void DamagedRecord_IsReportedWithTheFileAndWhatIsWrong(string content, string expected)
    {
        var e = Assert.Throws<PdLeaseFileException>(() => PdLeaseFile.Deserialize(Encoding.UTF8.GetBytes(content), "/var/lib/ipoe/pd.json"));

        Assert.StartsWith("/var/lib/ipoe/pd.json", e.Message);
        Assert.Contains(expected, e.Message);
    }
}
