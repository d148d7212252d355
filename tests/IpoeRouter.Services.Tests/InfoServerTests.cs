using System.Net;
using IpoeRouter.Protocols.Dhcp6;
using IpoeRouter.Protocols.Wire;
using IpoeRouter.Services.Dhcp6InfoServer;
using Xunit;

namespace IpoeRouter.Services.Tests;

public sealed class InfoServerTests
{
    private static readonly Duid s_server = new DuidLl(DuidLl.Ethernet, new ByteString([0x02, 0, 0, 0, 0, 1]));
    private static readonly Duid s_client = new DuidLl(DuidLl.Ethernet, new ByteString([0x00, 0x0d, 0xb9, 0, 0, 9]));
    private static readonly InfoServerConfig s_config = new(s_server, [IPAddress.Parse("2001:db8:0:11::1")], ["home.arpa"], TimeSpan.FromHours(1));

    private static Dhcp6Message Request(params Dhcp6Option[] options) => new(Dhcp6MessageType.InformationRequest, 0x0a0b0c, [new ClientIdOption(s_client), .. options]);

    [Fact]
    public void InformationRequest_AskingForDns_GetsDnsServerIdAndItsClientId()
    {
        byte[] wire = Request(new OroOption([Dhcp6OptionCode.DnsServers])).ToArray();

        Dhcp6Message reply = Dhcp6Message.Parse(InfoServer.Answer(Dhcp6Message.Parse(wire), s_config)!.ToArray());

        Assert.Equal((Dhcp6MessageType.Reply, 0x0a0b0c), (reply.Type, reply.TransactionId));
        Assert.Equal(s_server, reply.Find<ServerIdOption>()!.Duid);
        Assert.Equal(s_client, reply.Find<ClientIdOption>()!.Duid);
        Assert.Equal([IPAddress.Parse("2001:db8:0:11::1")], reply.Find<DnsServersOption>()!.Servers);
        Assert.Null(reply.Find<DomainListOption>());
        Assert.Equal(InfoServer.InformationRefreshTime, reply.Options.OfType<RawOption>().Single().Code);
    }

    [Fact]
    public void InformationRequest_WithoutOro_GetsDnsAndDomainList() =>
        Assert.Equal(["home.arpa"], InfoServer.Answer(Request(), s_config)!.Find<DomainListOption>()!.Domains);

    [Fact]
    public void OtherMessages_AndRequestsForOtherServersOrForLeases_AreIgnored()
    {
        Assert.Null(InfoServer.Answer(new Dhcp6Message(Dhcp6MessageType.Solicit, 1, [new ClientIdOption(s_client)]), s_config));
        Assert.Null(InfoServer.Answer(Request(new ServerIdOption(new DuidEn(9, new ByteString([1])))), s_config));
        Assert.Null(InfoServer.Answer(Request(new IaPdOption(1, 0, 0, [])), s_config));
        Assert.NotNull(InfoServer.Answer(Request(new ServerIdOption(s_server)), s_config));
    }
}
