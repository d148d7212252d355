using System.Net;
using IpoeRouter.Protocols.Arp;
using IpoeRouter.Protocols.Dhcp4;
using IpoeRouter.Protocols.Wire;
using IpoeRouter.Services.Dhcp4Client;
using Xunit;

namespace IpoeRouter.Services.Tests;

/// <summary>
/// The ARP check of a new address (RFC 2131 §4.4.1, RFC 5227 §2.1) and DECLINE, on a fake clock: with
/// the random source at 0.5 the probes go out 0.5 s after the ACK and 1.5 s apart, and the address is
/// used 2 s after the last; where the client listens in each state.
/// </summary>
public sealed class Dhcp4ClientProbeTests
{
    private static readonly ByteString s_mac = new([0x02, 0x00, 0x5e, 0x00, 0x02, 0x07]);
    private static readonly ByteString s_other = new([0x02, 0x00, 0x5e, 0x00, 0x02, 0x99]);
    private static readonly IPAddress s_hgw = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress s_offered = IPAddress.Parse("192.0.2.100");
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void NewAddress_ThreeProbesThenAnnounceWait_ThenItIsUsed_ListeningMovesFromLinkLayerToSocket()
    {
        var (client, now) = AtAck(out Dhcp4Message request);
        Assert.Equal(Dhcp4Listening.LinkLayer, client.Listening); // REQUESTING: no address yet

        Assert.Empty(client.Receive(now, Ack(request)));
        Assert.Equal(Dhcp4ClientState.Probing, client.State);
        Assert.Equal(Dhcp4Listening.LinkLayerAndArp, client.Listening);
        Assert.Null(client.Lease);

        var probeTimes = new List<DateTimeOffset>();
        Dhcp4LeaseChanged? acquired = null;
        while (acquired is null)
        {
            now = client.NextWake!.Value;
            foreach (Dhcp4ClientAction action in client.Tick(now))
            {
                switch (action)
                {
                    case Dhcp4ArpProbe probe:
                        probeTimes.Add(now);
                        ArpPacket sent = ArpPacket.Parse(probe.Probe.ToArray());
                        Assert.Equal((ArpOperation.Request, s_mac, IPAddress.Any, s_offered), (sent.Operation, sent.SenderHardwareAddress, sent.SenderAddress, sent.TargetAddress));
                        Assert.Equal(new ByteString(new byte[6]), sent.TargetHardwareAddress);
                        break;
                    case Dhcp4LeaseChanged changed:
                        acquired = changed;
                        break;
                    default:
                        Assert.Fail($"unexpected {action}");
                        break;
                }
            }
        }

        Assert.Equal([T0.AddSeconds(0.5), T0.AddSeconds(2), T0.AddSeconds(3.5)], probeTimes);
        Assert.Equal(T0.AddSeconds(5.5), now);
        Assert.Equal((Dhcp4LeaseChangeReason.Acquired, s_offered), (acquired.Reason, acquired.Lease!.Address));
        Assert.Equal(T0, acquired.Lease.Acquired); // the lease counts from the REQUEST
        Assert.Equal(Dhcp4ClientState.Bound, client.State);
        Assert.Equal(Dhcp4Listening.Socket, client.Listening);
    }

    [Theory]
    [InlineData("reply")]          // the holder answers our probe
    [InlineData("announcement")]   // a host announces (or otherwise uses) the address
    [InlineData("probe")]          // another host probes for the same address at the same time
    public void AnotherHostHasTheAddress_Decline_ThenDiscoverAfterTenSeconds_WithoutAskingForIt(string what)
    {
        var (client, now) = AtAck(out Dhcp4Message request);
        client.Receive(now, Ack(request));
        now = client.NextWake!.Value;
        Assert.IsType<Dhcp4ArpProbe>(Assert.Single(client.Tick(now)));
        ArpPacket heard = what switch
        {
            "reply" => new ArpPacket(ArpOperation.Reply, s_other, s_offered, s_mac, IPAddress.Any),
            "announcement" => new ArpPacket(ArpOperation.Request, s_other, s_offered, new ByteString(new byte[6]), s_offered),
            _ => ArpPacket.Probe(s_other, s_offered),
        };

        Dhcp4Send decline = Assert.IsType<Dhcp4Send>(Assert.Single(client.ArpReceived(now, ArpPacket.Parse(heard.ToArray()))));

        Dhcp4Message d = Dhcp4Message.Parse(decline.Message.ToArray());
        Assert.Equal(IPAddress.Broadcast, decline.Destination);
        Assert.Equal(Dhcp4MessageType.Decline, d.MessageType);
        Assert.Equal(IPAddress.Any, d.ClientAddress);
        Assert.Equal(s_offered, d.Find<RequestedIpAddressOption>()!.Address);
        Assert.Equal(s_hgw, d.Find<ServerIdentifierOption>()!.Address);
        Assert.Null(d.Find<HostNameOption>());          // RFC 2131 table 5: MUST NOT
        Assert.Null(d.Find<ParameterRequestListOption>());
        Assert.Null(client.Lease);
        Assert.Equal(Dhcp4ClientState.Init, client.State);
        Assert.Equal(now + TimeSpan.FromSeconds(10), client.NextWake);

        now = client.NextWake!.Value;
        Dhcp4Send discover = Assert.IsType<Dhcp4Send>(Assert.Single(client.Tick(now)));
        Assert.Equal(Dhcp4MessageType.Discover, discover.Message.MessageType);
        Assert.Null(discover.Message.Find<RequestedIpAddressOption>());
    }

    [Fact]
    public void OwnProbeAndUnrelatedArp_AreNoConflict()
    {
        var (client, now) = AtAck(out Dhcp4Message request);
        client.Receive(now, Ack(request));

        Assert.Empty(client.ArpReceived(now, ArpPacket.Probe(s_mac, s_offered)));                                         // ours, looped back
        Assert.Empty(client.ArpReceived(now, new ArpPacket(ArpOperation.Request, s_other, s_hgw, new ByteString(new byte[6]), IPAddress.Parse("192.0.2.7")))); // the HGW asking for someone else
        Assert.Empty(client.ArpReceived(now, ArpPacket.Probe(s_other, IPAddress.Parse("192.0.2.101"))));                   // another host probing another address
        Assert.Equal(Dhcp4ClientState.Probing, client.State);
    }

    [Fact]
    public void ArpOutsideAProbe_IsIgnored()
    {
        var client = new Dhcp4Client.Dhcp4Client(new Dhcp4ClientConfig(s_mac), () => 0.5, () => 7);
        client.Start(T0, null);

        Assert.Empty(client.ArpReceived(T0, new ArpPacket(ArpOperation.Reply, s_other, s_offered, s_mac, IPAddress.Any)));
        Assert.Equal(Dhcp4ClientState.Selecting, client.State);
    }

    /// <summary>A client that sent DISCOVER at T0, got an OFFER and sent its REQUEST, all at T0.</summary>
    private static (Dhcp4Client.Dhcp4Client Client, DateTimeOffset Now) AtAck(out Dhcp4Message request)
    {
        uint xid = 0x11;
        var client = new Dhcp4Client.Dhcp4Client(new Dhcp4ClientConfig(s_mac) { HostName = "ipoe-router" }, () => 0.5, () => ++xid);
        Dhcp4Message discover = ((Dhcp4Send)client.Start(T0, null).Single()).Message;
        request = ((Dhcp4Send)client.Receive(T0, Reply(discover, Dhcp4MessageType.Offer)).Single()).Message;
        return (client, T0);
    }

    private static Dhcp4Message Ack(Dhcp4Message request) => Reply(request, Dhcp4MessageType.Ack);

    private static Dhcp4Message Reply(Dhcp4Message request, Dhcp4MessageType type) => Dhcp4Message.Parse(new Dhcp4Message
    {
        Op = Dhcp4OpCode.BootReply,
        TransactionId = request.TransactionId,
        Flags = request.Flags,
        YourAddress = s_offered,
        HardwareAddress = request.HardwareAddress,
        Options = [new MessageTypeOption(type), new ServerIdentifierOption(s_hgw), new LeaseTimeOption(3600), new SubnetMaskOption(IPAddress.Parse("255.255.255.0"))],
    }.ToArray());
}
