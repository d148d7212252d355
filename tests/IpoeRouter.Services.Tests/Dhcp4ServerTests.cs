using System.Net;
using IpoeRouter.Protocols.Dhcp4;
using IpoeRouter.Protocols.Wire;
using IpoeRouter.Services.Dhcp4Server;
using Xunit;
using static IpoeRouter.Services.Tests.Dhcp4ServerFixture;

namespace IpoeRouter.Services.Tests;

/// <summary>
/// The DHCPv4 server's decisions for one scope (192.0.2.0/24, server .1, pool .100–.110, lease 1 h),
/// message by message. Every request goes through the wire codec before the server sees it, and
/// every reply before the test reads it, as they would on a socket (<see cref="Dhcp4ServerHarness"/>).
/// </summary>
public sealed class Dhcp4ServerTests
{
    [Fact]
    public void Dora_OffersTheLowestPoolAddress_AndAcksIt_PersistingOnlyTheAck()
    {
        var h = new Dhcp4ServerHarness();

        Dhcp4Reply offer = h.Reply(Discover(1));
        Assert.Equal(Dhcp4MessageType.Offer, offer.Message.MessageType);
        Assert.Equal(Dhcp4OpCode.BootReply, offer.Message.Op);
        Assert.Equal(Xid(1), offer.Message.TransactionId);
        Assert.Equal(Mac(1), offer.Message.HardwareAddress);
        Assert.Equal(A(100), offer.Message.YourAddress);
        Assert.Equal(IPAddress.Any, offer.Message.ClientAddress);
        Assert.Equal(ServerAddress, offer.Message.Find<ServerIdentifierOption>()!.Address);
        Assert.Equal(3600u, offer.Message.Find<LeaseTimeOption>()!.Seconds);
        Assert.Equal(1800u, offer.Message.Find<RenewalTimeOption>()!.Seconds);
        Assert.Equal(3150u, offer.Message.Find<RebindingTimeOption>()!.Seconds);
        Assert.Equal(IPAddress.Parse("255.255.255.0"), offer.Message.Find<SubnetMaskOption>()!.Mask);
        Assert.Equal([ServerAddress], offer.Message.Find<RouterOption>()!.Routers);
        Assert.Equal([ServerAddress], offer.Message.Find<DomainNameServerOption>()!.Servers);
        Assert.Equal([ServerAddress], offer.Message.Find<NtpServersOption>()!.Servers);
        Assert.Equal("home.example", offer.Message.Find<DomainNameOption>()!.Name);
        Assert.Equal(["home.example"], offer.Message.Find<DomainSearchOption>()!.Domains);
        Assert.Equal(
            [new ClasslessRoute(IPNetwork.Parse("203.0.113.0/24"), A(254)), new ClasslessRoute(new IPNetwork(IPAddress.Any, 0), ServerAddress)],
            offer.Message.Find<ClasslessStaticRouteOption>()!.Routes); // the default route added: a client taking 121 ignores 3
        Assert.Null(offer.Message.Find<HostNameOption>()); // no reservation, no name
        Assert.Equal([Dhcp4OptionCode.MessageType, Dhcp4OptionCode.ServerIdentifier], offer.Message.Options.Take(2).Select(o => o.Code));
        Assert.Empty(offer.LeaseChanges); // offers are held in memory only
        Assert.Empty(h.Table.All);
        Assert.Equal(A(100), Assert.Single(h.Server.Offers).Address);

        Dhcp4Reply ack = h.Reply(Select(1, A(100)));
        Assert.Equal(Dhcp4MessageType.Ack, ack.Message.MessageType);
        Assert.Equal(A(100), ack.Message.YourAddress);
        Assert.Equal(3600u, ack.Message.Find<LeaseTimeOption>()!.Seconds);
        Dhcp4LeaseChange change = Assert.Single(ack.LeaseChanges);
        Assert.Equal(A(100), change.Address);
        Assert.Equal(Dhcp4LeaseState.Bound, change.Lease!.State);
        Assert.Equal(T0 + TimeSpan.FromHours(1), change.Lease.Expiry);
        Assert.Equal(Mac(1), change.Lease.HardwareAddress);
        Assert.Equal(change.Lease, h.Table.FindByAddress(A(100)));
        Assert.Empty(h.Server.Offers);
    }

    [Fact]
    public void Options_OnlyTheAskedForAreSent_BesidesMaskRouterDnsAndLeaseTimes()
    {
        var h = new Dhcp4ServerHarness();
        Dhcp4Message offer = h.Reply(Discover(1, new ParameterRequestListOption([1, 3]))).Message;

        Assert.Equal(
            [Dhcp4OptionCode.MessageType, Dhcp4OptionCode.ServerIdentifier, Dhcp4OptionCode.LeaseTime, Dhcp4OptionCode.RenewalTime,
                Dhcp4OptionCode.RebindingTime, Dhcp4OptionCode.SubnetMask, Dhcp4OptionCode.Router, Dhcp4OptionCode.DomainNameServer],
            offer.Options.Select(o => o.Code));
    }

    [Fact]
    public void Options_WithoutARequestList_AllConfiguredButClasslessRoutesAreSent()
    {
        var h = new Dhcp4ServerHarness();
        Dhcp4Message offer = h.Reply(Message(Dhcp4MessageType.Discover, 1, [])).Message;

        Assert.NotNull(offer.Find<DomainNameOption>());
        Assert.NotNull(offer.Find<NtpServersOption>());
        Assert.NotNull(offer.Find<DomainSearchOption>());
        Assert.Null(offer.Find<ClasslessStaticRouteOption>()); // RFC 3442: only to a client that asks for it
    }

    [Fact]
    public void Offer_HoldsItsAddressFromOtherClients_UntilTheHoldTimeEnds()
    {
        var h = new Dhcp4ServerHarness();
        Assert.Equal(A(100), h.Reply(Discover(1)).Message.YourAddress);
        Assert.Equal(A(101), h.Reply(Discover(2)).Message.YourAddress);
        Assert.Equal(A(101), h.Reply(Discover(2)).Message.YourAddress); // a retransmitted DISCOVER gets the same offer

        h.Now += TimeSpan.FromSeconds(61);
        Assert.Equal(A(100), h.Reply(Discover(3)).Message.YourAddress);
    }

    [Fact]
    public void Discover_WhenThePoolIsExhausted_IsSilentAndNamesTheScope()
    {
        var h = new Dhcp4ServerHarness(Scope with { Pool = new Dhcp4AddressRange(A(100), A(101)) });
        h.Bind(1);
        h.Reply(Discover(2));

        Dhcp4NoReply none = h.Silence(Discover(3));

        Assert.Equal(Dhcp4NoReplyReason.PoolExhausted, none.Reason);
        Assert.Contains("lan", none.Detail, StringComparison.Ordinal);
        Assert.Empty(none.LeaseChanges);
    }

    [Fact]
    public void Discover_AskingForAFreePoolAddress_IsOfferedIt()
    {
        var h = new Dhcp4ServerHarness();
        Assert.Equal(A(107), h.Reply(Discover(1, new RequestedIpAddressOption(A(107)))).Message.YourAddress);
        Assert.Equal(A(100), h.Reply(Discover(2, new RequestedIpAddressOption(A(107)))).Message.YourAddress); // held for client 1
        Assert.Equal(A(101), h.Reply(Discover(3, new RequestedIpAddressOption(A(50)))).Message.YourAddress); // outside the pool
    }

    [Fact]
    public void Selecting_AnotherServer_IsSilent_AndOurOfferIsForgotten()
    {
        var h = new Dhcp4ServerHarness();
        Assert.Equal(A(100), h.Reply(Discover(1)).Message.YourAddress);

        Dhcp4NoReply none = h.Silence(Select(1, IPAddress.Parse("192.0.2.2"), server: IPAddress.Parse("192.0.2.2")));

        Assert.Equal(Dhcp4NoReplyReason.OtherServer, none.Reason);
        Assert.Empty(h.Server.Offers);
        Assert.Equal(A(100), h.Reply(Discover(2)).Message.YourAddress); // free again at once
    }

    [Fact]
    public void Selecting_AnAddressOtherThanOffered_IsNaked()
    {
        var h = new Dhcp4ServerHarness();
        h.Reply(Discover(1));

        Dhcp4Reply nak = h.Reply(Select(1, A(105)));

        Assert.Equal(Dhcp4MessageType.Nak, nak.Message.MessageType);
        Assert.Empty(nak.LeaseChanges);
        Assert.Empty(h.Table.All);
    }

    [Fact]
    public void Selecting_WithTheOfferLost_IsAckedWhenTheAddressIsFree()
    {
        var h = new Dhcp4ServerHarness();
        h.Reply(Discover(1));
        var restarted = new Dhcp4ServerHarness(table: h.Table) { Now = h.Now + TimeSpan.FromSeconds(1) }; // offers are not persisted

        Assert.Equal(Dhcp4MessageType.Ack, restarted.Reply(Select(1, A(100))).Message.MessageType);
    }

    [Fact]
    public void InitReboot_ForItsOwnAddress_IsAcked()
    {
        var h = new Dhcp4ServerHarness();
        h.Bind(1);
        h.Now += TimeSpan.FromMinutes(5);

        Dhcp4Reply ack = h.Reply(InitReboot(1, A(100)));

        Assert.Equal(Dhcp4MessageType.Ack, ack.Message.MessageType);
        Assert.Equal(A(100), ack.Message.YourAddress);
        Assert.Equal(h.Now + TimeSpan.FromHours(1), Assert.Single(ack.LeaseChanges).Lease!.Expiry);
    }

    [Fact]
    public void InitReboot_OnAnotherSubnet_IsNaked()
    {
        var h = new Dhcp4ServerHarness();
        h.Bind(1);

        Dhcp4Reply nak = h.Reply(InitReboot(1, IPAddress.Parse("198.51.100.10")));

        Assert.Equal(Dhcp4MessageType.Nak, nak.Message.MessageType);
        Assert.Equal(IPAddress.Any, nak.Message.YourAddress);
        Assert.Null(nak.Message.Find<LeaseTimeOption>());
        Assert.Equal(ServerAddress, nak.Message.Find<ServerIdentifierOption>()!.Address);
        Assert.Equal(Dhcp4DestinationKind.Broadcast, nak.Destination.Kind);
    }

    [Fact]
    public void InitReboot_ForAnotherAddressThanItsLease_IsNaked()
    {
        var h = new Dhcp4ServerHarness();
        h.Bind(1);

        Assert.Equal(Dhcp4MessageType.Nak, h.Reply(InitReboot(1, A(105))).Message.MessageType);
    }

    [Fact]
    public void InitReboot_FromAnUnknownClient_IsSilent()
    {
        var h = new Dhcp4ServerHarness();
        h.Bind(1);

        Assert.Equal(Dhcp4NoReplyReason.UnknownClient, h.Silence(InitReboot(2, A(105))).Reason);
        Assert.Equal(Dhcp4NoReplyReason.UnknownClient, h.Silence(InitReboot(2, A(100))).Reason);
    }

    [Fact]
    public void Renewing_ItsOwnAddress_ExtendsTheLease_AndIsUnicastToCiaddr()
    {
        var h = new Dhcp4ServerHarness();
        h.Bind(1);
        h.Now += TimeSpan.FromMinutes(30);

        Dhcp4Reply ack = h.Reply(Renew(1, A(100)));

        Assert.Equal(Dhcp4MessageType.Ack, ack.Message.MessageType);
        Assert.Equal(A(100), ack.Message.ClientAddress);
        Assert.Equal(A(100), ack.Message.YourAddress);
        Assert.Equal(new Dhcp4Destination(Dhcp4DestinationKind.Unicast, A(100), 68), ack.Destination);
        Assert.Equal(T0 + TimeSpan.FromMinutes(90), Assert.Single(ack.LeaseChanges).Lease!.Expiry);
        Assert.Equal(T0 + TimeSpan.FromMinutes(90), h.Table.FindByAddress(A(100))!.Expiry);
    }

    [Fact]
    public void Renewing_WithoutOption12_KeepsTheNameTheClientGaveBefore_ANewNameReplacesIt()
    {
        var h = new Dhcp4ServerHarness();
        IPAddress offered = h.Reply(Discover(1, new HostNameOption("laptop"))).Message.YourAddress;
        Assert.Equal("laptop", Assert.Single(h.Reply(Select(1, offered, extra: new HostNameOption("laptop"))).LeaseChanges).Lease!.HostName);

        Assert.Equal("laptop", Assert.Single(h.Reply(Renew(1, offered)).LeaseChanges).Lease!.HostName);
        Assert.Equal("desk", Assert.Single(h.Reply(Renew(1, offered, extra: new HostNameOption("desk"))).LeaseChanges).Lease!.HostName);
        Assert.Equal("desk", h.Table.FindByAddress(offered)!.HostName);
    }

    [Fact]
    public void Rebinding_Broadcast_ExtendsTheLeaseLikeARenewal()
    {
        var h = new Dhcp4ServerHarness();
        h.Bind(1);
        h.Now += TimeSpan.FromMinutes(55);

        Dhcp4Reply ack = h.Reply(Renew(1, A(100), broadcast: true));

        Assert.Equal(Dhcp4MessageType.Ack, ack.Message.MessageType);
        Assert.Equal(Dhcp4DestinationKind.Unicast, ack.Destination.Kind); // ciaddr comes before the BROADCAST flag (RFC 2131 §4.1)
        Assert.Equal(h.Now + TimeSpan.FromHours(1), h.Table.FindByAddress(A(100))!.Expiry);
    }

    [Fact]
    public void Renewing_SomeoneElsesAddress_IsNaked_AndTheirLeaseIsUntouched()
    {
        var h = new Dhcp4ServerHarness();
        h.Bind(1);
        Dhcp4Lease before = h.Table.FindByAddress(A(100))!;

        Dhcp4Reply nak = h.Reply(Renew(2, A(100)));

        Assert.Equal(Dhcp4MessageType.Nak, nak.Message.MessageType);
        Assert.Equal(new Dhcp4Destination(Dhcp4DestinationKind.Broadcast, IPAddress.Broadcast, 68), nak.Destination);
        Assert.Empty(nak.LeaseChanges);
        Assert.Equal(before, h.Table.FindByAddress(A(100)));
    }

    [Fact]
    public void Decline_QuarantinesTheAddress_UntilTheQuarantineEnds()
    {
        var h = new Dhcp4ServerHarness();
        h.Bind(1);

        Dhcp4NoReply declined = h.Silence(Decline(1, A(100)));

        Assert.Equal(Dhcp4NoReplyReason.Declined, declined.Reason);
        Dhcp4Lease quarantine = Assert.Single(declined.LeaseChanges).Lease!;
        Assert.Equal((A(100), (Dhcp4ClientKey?)null, Dhcp4LeaseState.Declined, T0 + TimeSpan.FromMinutes(10)), (quarantine.Address, quarantine.ClientKey, quarantine.State, quarantine.Expiry));
        Assert.Equal(A(101), h.Reply(Discover(1)).Message.YourAddress);
        Assert.Equal(A(102), h.Reply(Discover(2)).Message.YourAddress);

        h.Now += TimeSpan.FromMinutes(10);
        Assert.Equal(A(100), h.Reply(Discover(3)).Message.YourAddress);
    }

    [Fact]
    public void Decline_OfAnAddressTheClientDoesNotHold_IsIgnored()
    {
        var h = new Dhcp4ServerHarness();
        h.Bind(1);

        Assert.Equal(Dhcp4NoReplyReason.NotHeld, h.Silence(Decline(2, A(100))).Reason);
        Assert.Equal(Dhcp4LeaseState.Bound, h.Table.FindByAddress(A(100))!.State);
    }

    [Fact]
    public void Release_ThenDiscover_GetsTheSameAddressBack_WhileOthersGetFreshOnes()
    {
        var h = new Dhcp4ServerHarness();
        h.Bind(1);
        h.Now += TimeSpan.FromMinutes(1);

        Dhcp4NoReply released = h.Silence(Release(1, A(100)));

        Assert.Equal(Dhcp4NoReplyReason.Released, released.Reason);
        Dhcp4Lease lease = Assert.Single(released.LeaseChanges).Lease!;
        Assert.Equal((Dhcp4LeaseState.Released, h.Now), (lease.State, lease.Expiry));
        Assert.Equal(A(101), h.Reply(Discover(2, new RequestedIpAddressOption(A(100)))).Message.YourAddress); // kept for client 1, even when asked for
        Assert.Equal(A(100), h.Reply(Discover(1)).Message.YourAddress);
    }

    [Fact]
    public void Inform_GetsTheConfigurationWithoutLease()
    {
        var h = new Dhcp4ServerHarness();

        Dhcp4Reply ack = h.Reply(Message(Dhcp4MessageType.Inform, 1, [AskAll], ciaddr: A(50)));

        Assert.Equal(Dhcp4MessageType.Ack, ack.Message.MessageType);
        Assert.Equal(IPAddress.Any, ack.Message.YourAddress);
        Assert.Equal(A(50), ack.Message.ClientAddress);
        Assert.Null(ack.Message.Find<LeaseTimeOption>());
        Assert.Null(ack.Message.Find<RenewalTimeOption>());
        Assert.Null(ack.Message.Find<RebindingTimeOption>());
        Assert.NotNull(ack.Message.Find<DomainNameServerOption>());
        Assert.NotNull(ack.Message.Find<DomainSearchOption>());
        Assert.Equal(new Dhcp4Destination(Dhcp4DestinationKind.Unicast, A(50), 68), ack.Destination);
        Assert.Empty(ack.LeaseChanges);
        Assert.Empty(h.Table.All);
    }

    [Fact]
    public void Reservation_ByMac_GivesTheReservedAddressAndItsHostName()
    {
        var h = new Dhcp4ServerHarness(Scope with { Reservations = [new Dhcp4Reservation(A(20)) { Mac = Mac(9), HostName = "printer" }] });

        Dhcp4Reply offer = h.Reply(Discover(9));
        Assert.Equal(A(20), offer.Message.YourAddress);
        Assert.Equal("printer", offer.Message.Find<HostNameOption>()!.Name);

        Dhcp4Reply ack = h.Reply(Select(9, A(20)));
        Assert.Equal(Dhcp4MessageType.Ack, ack.Message.MessageType);
        Assert.Equal("printer", Assert.Single(ack.LeaseChanges).Lease!.HostName);
    }

    [Fact]
    public void Reservation_ByClientId_MatchesOption61_WhateverTheMac()
    {
        var id = new ClientIdentifierOption(0, new ByteString("nas"u8.ToArray()));
        var h = new Dhcp4ServerHarness(Scope with { Reservations = [new Dhcp4Reservation(A(21)) { ClientId = new ByteString([0, .. "nas"u8]) }] });

        Dhcp4Reply offer = h.Reply(Discover(7, id));

        Assert.Equal(A(21), offer.Message.YourAddress);
        Assert.Equal(id, offer.Message.Find<ClientIdentifierOption>()); // echoed (RFC 6842)
        Assert.Equal(A(100), h.Reply(Discover(8)).Message.YourAddress);
    }

    [Fact]
    public void ReservedAddress_IsNeverGivenToAnotherClient()
    {
        var h = new Dhcp4ServerHarness(Scope with
        {
            Pool = new Dhcp4AddressRange(A(100), A(102)),
            Reservations = [new Dhcp4Reservation(A(100)) { Mac = Mac(9) }],
        });

        Assert.Equal(A(101), h.Reply(Discover(1, new RequestedIpAddressOption(A(100)))).Message.YourAddress);
        Assert.Equal(Dhcp4MessageType.Nak, h.Reply(Select(1, A(100))).Message.MessageType);
        h.Bind(1);
        h.Bind(2);
        Assert.Equal(Dhcp4NoReplyReason.PoolExhausted, h.Silence(Discover(3)).Reason);
        Assert.Equal(A(100), h.Reply(Discover(9)).Message.YourAddress);
    }

    [Fact]
    public void Reservation_ByMac_FollowsTheMachineAcrossClientIds()
    {
        var h = new Dhcp4ServerHarness(Scope with { Reservations = [new Dhcp4Reservation(A(20)) { Mac = Mac(9) }] });
        var linux = new ClientIdentifierOption(255, new ByteString([0, 0, 0, 1, 0, 4, 1, 2, 3, 4]));
        var windows = new ClientIdentifierOption(ClientIdentifierOption.Ethernet, Mac(9));
        h.Reply(Discover(9, linux));
        Assert.Equal(Dhcp4MessageType.Ack, h.Reply(Select(9, A(20), extra: linux)).Message.MessageType);

        Assert.Equal(A(20), h.Reply(Discover(9, windows)).Message.YourAddress); // the same machine booted into another system
    }

    [Fact]
    public void Reservation_AddedForABoundClient_NaksItsRenewal_SoItComesBackForTheReservedAddress()
    {
        var h = new Dhcp4ServerHarness();
        h.Bind(9);
        var later = new Dhcp4ServerHarness(Scope with { Reservations = [new Dhcp4Reservation(A(20)) { Mac = Mac(9) }] }, h.Table) { Now = h.Now };

        Assert.Equal(Dhcp4MessageType.Nak, later.Reply(Renew(9, A(100))).Message.MessageType);
        Assert.Equal(A(20), later.Reply(Discover(9)).Message.YourAddress);
    }

    [Fact]
    public void ExpiredLeases_AreReclaimedWhenThePoolIsFull_TheLongestExpiredFirst()
    {
        var h = new Dhcp4ServerHarness(Scope with { Pool = new Dhcp4AddressRange(A(100), A(102)) });
        h.Bind(1);
        h.Now += TimeSpan.FromMinutes(10);
        h.Bind(2);
        h.Now += TimeSpan.FromMinutes(10);
        h.Bind(3);
        Assert.Equal(Dhcp4NoReplyReason.PoolExhausted, h.Silence(Discover(4)).Reason);

        h.Now = T0 + TimeSpan.FromHours(2); // all three expired; client 1's first
        Assert.Equal(A(100), h.Reply(Discover(4)).Message.YourAddress);
        Dhcp4Reply ack = h.Reply(Select(4, A(100)));

        Assert.Equal(Dhcp4ClientKey.Of(Discover(4)), Assert.Single(ack.LeaseChanges).Lease!.ClientKey);
        Assert.Null(h.Table.FindByClient(Dhcp4ClientKey.Of(Discover(1))!.Value));
        Assert.Equal(A(101), h.Reply(Discover(5)).Message.YourAddress);
        Assert.Equal(A(102), h.Reply(Discover(3)).Message.YourAddress); // its own expired address is still its own
    }

    [Fact]
    public void ExpiredLease_IsReclaimedOnlyAfterNeverUsedAddresses()
    {
        var h = new Dhcp4ServerHarness();
        h.Bind(1);
        h.Now += TimeSpan.FromHours(2);

        Assert.Equal(A(101), h.Reply(Discover(2)).Message.YourAddress);
        Assert.Equal(A(100), h.Reply(Discover(1)).Message.YourAddress);
    }

    [Fact]
    public void RateLimit_DropsThe11thMessageIn10Seconds_AndCountsIt()
    {
        var h = new Dhcp4ServerHarness();
        for (int i = 0; i < 10; i++)
        {
            h.Now = T0 + TimeSpan.FromSeconds(i * 0.5);
            Assert.IsType<Dhcp4Reply>(h.Send(Discover(1)));
        }

        h.Now = T0 + TimeSpan.FromSeconds(9.9);
        Assert.Equal(Dhcp4NoReplyReason.RateLimited, h.Silence(Discover(1)).Reason);
        Assert.Equal(1, h.Server.RateLimitedMessages);
        Assert.IsType<Dhcp4Reply>(h.Send(Discover(2))); // other clients are not held back

        h.Now = T0 + TimeSpan.FromSeconds(10); // the first message has left the window
        Assert.IsType<Dhcp4Reply>(h.Send(Discover(1)));
    }

    [Fact]
    public void Destination_Relayed_GoesToTheRelayOnPort67()
    {
        var h = new Dhcp4ServerHarness();
        IPAddress relay = A(2);

        Dhcp4Reply offer = h.Reply(Message(Dhcp4MessageType.Discover, 1, [AskAll], giaddr: relay, broadcast: true));

        Assert.Equal(new Dhcp4Destination(Dhcp4DestinationKind.Relay, relay, 67), offer.Destination);
        Assert.Equal(relay, offer.Message.RelayAgentAddress);
    }

    [Fact]
    public void Destination_NakThroughARelay_GoesToTheRelayWithTheBroadcastFlag()
    {
        var h = new Dhcp4ServerHarness();

        Dhcp4Reply nak = h.Reply(Message(Dhcp4MessageType.Request, 1, [new RequestedIpAddressOption(IPAddress.Parse("198.51.100.10"))], giaddr: A(2)));

        Assert.Equal(Dhcp4MessageType.Nak, nak.Message.MessageType);
        Assert.Equal(new Dhcp4Destination(Dhcp4DestinationKind.Relay, A(2), 67), nak.Destination);
        Assert.True(nak.Message.Broadcast);
    }

    [Fact]
    public void Destination_RelayedFromAnotherSubnet_IsNotThisScope()
    {
        var h = new Dhcp4ServerHarness();

        Assert.Equal(Dhcp4NoReplyReason.NotThisScope, h.Silence(Message(Dhcp4MessageType.Discover, 1, [], giaddr: IPAddress.Parse("198.51.100.1"))).Reason);
    }

    [Fact]
    public void Destination_BroadcastFlag_IsBroadcast()
    {
        var h = new Dhcp4ServerHarness();

        Dhcp4Reply offer = h.Reply(Message(Dhcp4MessageType.Discover, 1, [AskAll], broadcast: true));

        Assert.Equal(new Dhcp4Destination(Dhcp4DestinationKind.Broadcast, IPAddress.Broadcast, 68), offer.Destination);
        Assert.True(offer.Message.Broadcast);
    }

    [Fact]
    public void Destination_NoFlagNoCiaddr_IsUnicastToYiaddrAtChaddr()
    {
        var h = new Dhcp4ServerHarness();

        Dhcp4Reply offer = h.Reply(Discover(1));

        Assert.Equal(new Dhcp4Destination(Dhcp4DestinationKind.UnicastToHardware, A(100), 68) { HardwareAddress = Mac(1) }, offer.Destination);
    }

    [Fact]
    public void Ack_ForAnotherFreeAddress_DeletesTheClientsOldRecordFirst()
    {
        var h = new Dhcp4ServerHarness();
        h.Bind(1);

        Dhcp4Reply ack = h.Reply(Select(1, A(105))); // no offer held: a free address is granted

        Assert.Equal([new Dhcp4LeaseChange(A(100), null), new Dhcp4LeaseChange(A(105), h.Table.FindByAddress(A(105)))], ack.LeaseChanges);
        Assert.Null(h.Table.FindByAddress(A(100)));
    }

    [Fact]
    public void ClientId_OfTypeEthernetWithTheMac_IsTheSameClientAsItsChaddr()
    {
        var h = new Dhcp4ServerHarness();
        h.Bind(1);

        Dhcp4Reply ack = h.Reply(Renew(1, A(100), extra: new ClientIdentifierOption(ClientIdentifierOption.Ethernet, Mac(1))));

        Assert.Equal(Dhcp4MessageType.Ack, ack.Message.MessageType);
    }

    [Fact]
    public void Expire_MarksLapsedLeasesExpired_AndEndsQuarantines()
    {
        var h = new Dhcp4ServerHarness();
        h.Bind(1);
        h.Bind(2);
        h.Silence(Decline(2, A(101)));
        Assert.Equal(T0 + TimeSpan.FromMinutes(10), h.Server.NextExpiry);
        Assert.Empty(h.Server.Expire(h.Now));

        IReadOnlyList<Dhcp4LeaseChange> changes = h.Server.Expire(T0 + TimeSpan.FromHours(1));

        Assert.Equal([A(100), A(101)], changes.Select(c => c.Address));
        Assert.Equal(Dhcp4LeaseState.Expired, changes[0].Lease!.State);
        Assert.Null(changes[1].Lease);
        Assert.Null(h.Server.NextExpiry);
    }

    [Fact]
    public void NonRequests_AreIgnoredAsInvalid()
    {
        var h = new Dhcp4ServerHarness();

        Assert.Equal(Dhcp4NoReplyReason.Invalid, h.Silence(new Dhcp4Message { HardwareAddress = Mac(1) }).Reason); // BOOTP, no option 53
        Assert.Equal(Dhcp4NoReplyReason.Invalid, h.Silence(Message(Dhcp4MessageType.Offer, 1, [])).Reason);
        Assert.Equal(Dhcp4NoReplyReason.Invalid, h.Silence(Discover(1) with { Op = Dhcp4OpCode.BootReply }).Reason);
    }

    [Fact]
    public void LeaseTable_RefusesASecondAddressForOneClient()
    {
        var table = new MemoryLeaseTable();
        var key = new Dhcp4ClientKey(new ByteString([1, .. Mac(1).Span]));
        table.Upsert(new Dhcp4Lease(A(100), key, Mac(1), null, Dhcp4LeaseState.Bound, T0));

        Assert.Throws<InvalidOperationException>(() => table.Upsert(new Dhcp4Lease(A(101), key, Mac(1), null, Dhcp4LeaseState.Bound, T0)));
        table.Upsert(new Dhcp4Lease(A(100), null, Mac(1), null, Dhcp4LeaseState.Declined, T0));
        Assert.Null(table.FindByClient(key));
    }

    [Fact]
    public void Config_WithThePoolOutsideTheSubnet_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new ScopeServer(Scope with { Pool = new Dhcp4AddressRange(IPAddress.Parse("198.51.100.10"), IPAddress.Parse("198.51.100.20")) }, new MemoryLeaseTable()));
}
