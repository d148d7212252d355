using System.Net;
using IpoeRouter.Protocols.Dhcp4;
using IpoeRouter.Protocols.Wire;
using IpoeRouter.Services.Dhcp4Client;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace IpoeRouter.Services.Tests;

/// <summary>
/// The DHCPv4 client's states (RFC 2131 §4.4) driven message by message on a fake clock. Every
/// message goes through the wire codec both ways, as on a socket; the random source is fixed at the
/// middle (0.5), so the timeouts are exactly 4, 8, 16 … s.
/// </summary>
public sealed class Dhcp4ClientTests
{
    private static readonly ByteString s_mac = new([0x02, 0x00, 0x5e, 0x00, 0x02, 0x07]);
    private static readonly IPAddress s_hgw = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress s_leased = IPAddress.Parse("192.0.2.100");
    private static readonly IPAddress s_dns = IPAddress.Parse("192.0.2.53");

    [Fact]
    public void Discover_BroadcastsWithFlagClientIdAndRequestList_ThenOfferRequestAck_Binds()
    {
        var h = new Harness();
        (Dhcp4Message discover, IPAddress to) = h.Start(null).Single();
        Assert.Equal(IPAddress.Broadcast, to);
        Assert.Equal(Dhcp4MessageType.Discover, discover.MessageType);
        Assert.True(discover.Broadcast);
        Assert.Equal(IPAddress.Any, discover.ClientAddress);
        Assert.Equal(s_mac, discover.HardwareAddress);
        Assert.Equal(new ClientIdentifierOption(1, s_mac), discover.Find<ClientIdentifierOption>());
        Assert.Equal(new byte[] { 1, 3, 6, 15, 26, 42, 51, 54, 58, 59, 119, 121 }, discover.Find<ParameterRequestListOption>()!.Codes);
        Assert.Null(discover.Find<RequestedIpAddressOption>());
        Assert.Equal(Dhcp4ClientState.Selecting, h.Client.State);

        h.Receive(Offer(discover));
        (Dhcp4Message request, IPAddress requestTo) = h.Sent.Single();
        Assert.Equal(IPAddress.Broadcast, requestTo);
        Assert.Equal(Dhcp4MessageType.Request, request.MessageType);
        Assert.Equal(discover.TransactionId, request.TransactionId); // one exchange, one xid
        Assert.True(request.Broadcast);
        Assert.Equal(IPAddress.Any, request.ClientAddress);
        Assert.Equal(s_leased, request.Find<RequestedIpAddressOption>()!.Address);
        Assert.Equal(s_hgw, request.Find<ServerIdentifierOption>()!.Address);
        Assert.Equal(Dhcp4ClientState.Requesting, h.Client.State);

        DateTimeOffset sentAt = h.Now;
        h.Advance(TimeSpan.FromMilliseconds(300));
        Dhcp4LeaseChanged change = h.ReceiveChange(Ack(request, lease: 3600));
        Assert.Equal(Dhcp4LeaseChangeReason.Acquired, change.Reason);
        Assert.Null(change.Previous);
        Dhcp4Lease lease = change.Lease!;
        Assert.Equal(s_leased, lease.Address);
        Assert.Equal(24, lease.PrefixLength);
        Assert.Equal(IPNetwork.Parse("192.0.2.0/24"), lease.Subnet);
        Assert.Equal(s_hgw, lease.ServerId);
        Assert.Equal([s_hgw], lease.Routers);
        Assert.Equal([s_dns], lease.DnsServers);
        Assert.Equal("hgw.example", lease.DomainName);
        Assert.Equal(TimeSpan.FromSeconds(3600), lease.LeaseTime);
        Assert.Equal(TimeSpan.FromSeconds(1800), lease.T1); // 0.5 of the lease
        Assert.Equal(TimeSpan.FromSeconds(3150), lease.T2); // 0.875 of the lease
        Assert.Equal(sentAt, lease.Acquired); // counted from the REQUEST, not the ACK (§4.4.1)
        Assert.Equal(Dhcp4ClientState.Bound, h.Client.State);
        Assert.Equal(sentAt + TimeSpan.FromSeconds(1800), h.Client.NextWake);
    }

    [Fact]
    public void Discover_Unanswered_Retransmits4_8_16_32_64_64Seconds_WithTheSameXid()
    {
        var h = new Harness();
        uint xid = h.Start(null).Single().Message.TransactionId;
        var gaps = new List<double>();
        for (int i = 0; i < 6; i++)
        {
            DateTimeOffset before = h.Now;
            Dhcp4Message again = h.RunUntilSent().Message;
            Assert.Equal(Dhcp4MessageType.Discover, again.MessageType);
            Assert.Equal(xid, again.TransactionId);
            gaps.Add((h.Now - before).TotalSeconds);
        }

        Assert.Equal([4, 8, 16, 32, 64, 64], gaps);
    }

    [Theory]
    [InlineData(0.0, 3.0)]
    [InlineData(0.75, 4.5)]
    public void Discover_FirstTimeout_IsRandomisedByOneSecond(double random, double seconds)
    {
        var h = new Harness(random);
        h.Start(null);
        Assert.Equal(h.Now + TimeSpan.FromSeconds(seconds), h.Client.NextWake);
    }

    [Fact]
    public void Requesting_Unanswered_GivesUpAfterFourTries_AndDiscoversWithANewXid()
    {
        var h = new Harness();
        Dhcp4Message discover = h.Start(null).Single().Message;
        h.Receive(Offer(discover));
        var gaps = new List<double>();
        Dhcp4Message next;
        do
        {
            DateTimeOffset before = h.Now;
            next = h.RunUntilSent().Message;
            gaps.Add((h.Now - before).TotalSeconds);
        }
        while (next.MessageType == Dhcp4MessageType.Request);

        Assert.Equal([4, 8, 16, 32], gaps);
        Assert.Equal(Dhcp4MessageType.Discover, next.MessageType);
        Assert.NotEqual(discover.TransactionId, next.TransactionId);
        Assert.Equal(Dhcp4ClientState.Selecting, h.Client.State);
    }

    [Fact]
    public void Requesting_Nak_GoesToInit_AndDiscoversAfterADelayThatDoublesPerNak()
    {
        var h = new Harness();
        Dhcp4Message discover = h.Start(null).Single().Message;
        h.Receive(Offer(discover));
        Dhcp4Message request = h.Sent.Single().Message;

        Assert.Empty(h.Receive(Nak(request)));
        Assert.Empty(h.Changes); // nothing was held
        Assert.Equal(Dhcp4ClientState.Init, h.Client.State);
        Assert.Equal(h.Now + TimeSpan.FromSeconds(1), h.Client.NextWake);
        Dhcp4Message again = h.RunUntilSent().Message;
        Assert.Equal(Dhcp4MessageType.Discover, again.MessageType);

        h.Receive(Offer(again));
        h.Receive(Nak(h.Sent.Single().Message));
        Assert.Equal(h.Now + TimeSpan.FromSeconds(2), h.Client.NextWake);
    }

    [Fact]
    public void T1_RenewsByUnicastToTheServer_FromTheLeasedAddress_AndTheAckExtendsTheLease()
    {
        var h = new Harness();
        Dhcp4Lease lease = h.Bind(3600);
        DateTimeOffset t1 = lease.RenewAt;

        (Dhcp4Message renew, IPAddress to) = h.RunUntilSent();
        Assert.Equal(t1, h.Now);
        Assert.Equal(Dhcp4ClientState.Renewing, h.Client.State);
        Assert.Equal(s_hgw, to);
        Assert.Equal(Dhcp4MessageType.Request, renew.MessageType);
        Assert.Equal(s_leased, renew.ClientAddress);
        Assert.False(renew.Broadcast);
        Assert.Null(renew.Find<RequestedIpAddressOption>()); // RFC 2131 §4.3.2: not in RENEWING
        Assert.Null(renew.Find<ServerIdentifierOption>());

        h.Advance(TimeSpan.FromSeconds(1));
        Dhcp4LeaseChanged change = h.ReceiveChange(Ack(renew, lease: 3600));
        Assert.Equal(Dhcp4LeaseChangeReason.Extended, change.Reason);
        Assert.Equal(lease, change.Previous);
        Assert.Equal(t1, change.Lease!.Acquired);
        Assert.Equal(Dhcp4ClientState.Bound, h.Client.State);
        Assert.Equal(t1 + TimeSpan.FromSeconds(1800), h.Client.NextWake);
    }

    [Fact]
    public void Renewing_Unanswered_RetriesAtHalfTheTimeLeftUntilT2_AtLeast60s_ThenRebindsByBroadcastAtT2()
    {
        var h = new Harness();
        Dhcp4Lease lease = h.Bind(3600); // T1 1800, T2 3150
        h.RunUntilSent();
        var renewals = new List<double>();
        (Dhcp4Message message, IPAddress to) sent;
        do
        {
            sent = h.RunUntilSent();
            renewals.Add((h.Now - lease.Acquired).TotalSeconds);
        }
        while (h.Client.State == Dhcp4ClientState.Renewing);

        // 1350 s left at T1: retry after 675, then 337.5, 168.75, 84.375, then 60 s minimum, cut at T2.
        Assert.Equal([2475, 2812.5, 2981.25, 3065.625, 3125.625, 3150], renewals);
        Assert.Equal(Dhcp4ClientState.Rebinding, h.Client.State);
        Assert.Equal(IPAddress.Broadcast, sent.to);
        Assert.Equal(s_leased, sent.message.ClientAddress);
        Assert.False(sent.message.Broadcast);

        Dhcp4LeaseChanged change = h.ReceiveChange(Ack(sent.message, lease: 3600));
        Assert.Equal(Dhcp4LeaseChangeReason.Extended, change.Reason);
        Assert.Equal(Dhcp4ClientState.Bound, h.Client.State);
    }

    [Fact]
    public void LeaseEnd_WithoutAnswer_ReportsTheLeaseExpired_AndDiscoversAskingForTheOldAddress()
    {
        var h = new Harness();
        Dhcp4Lease lease = h.Bind(120);
        Dhcp4Message? discover = null;
        while (discover is null)
        {
            (Dhcp4Message m, _) = h.RunUntilSent();
            discover = m.MessageType == Dhcp4MessageType.Discover ? m : null;
        }

        Assert.Equal(lease.ExpiresAt, h.Now);
        Dhcp4LeaseChanged lost = h.Changes.Single();
        Assert.Null(lost.Lease);
        Assert.Equal(lease, lost.Previous);
        Assert.Equal(Dhcp4LeaseChangeReason.Expired, lost.Reason);
        Assert.Null(h.Client.Lease);
        Assert.Equal(Dhcp4ClientState.Selecting, h.Client.State);
        Assert.Equal(s_leased, discover.Find<RequestedIpAddressOption>()!.Address);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void NakWhileRenewingOrRebinding_DropsTheLease_AndGoesToInit(bool rebinding)
    {
        var h = new Harness();
        Dhcp4Lease lease = h.Bind(3600);
        Dhcp4Message request = h.RunUntilSent().Message;
        if (rebinding)
        {
            while (h.Client.State != Dhcp4ClientState.Rebinding)
            {
                request = h.RunUntilSent().Message;
            }
        }

        Dhcp4LeaseChanged lost = h.ReceiveChange(Nak(request));
        Assert.Null(lost.Lease);
        Assert.Equal(lease, lost.Previous);
        Assert.Equal(Dhcp4LeaseChangeReason.Refused, lost.Reason);
        Assert.Equal(Dhcp4ClientState.Init, h.Client.State);
        Dhcp4Message discover = h.RunUntilSent().Message;
        Assert.Equal(Dhcp4MessageType.Discover, discover.MessageType);
        Assert.Null(discover.Find<RequestedIpAddressOption>()); // refused: not asked for again
    }

    [Fact]
    public void ServerTimers_AreUsed_WhenConsistent_AndT2DefaultedWhenItExceedsTheLease()
    {
        var h = new Harness();
        Dhcp4Lease lease = h.Bind(30, t1: 10, t2: 15);
        Assert.Equal(TimeSpan.FromSeconds(10), lease.T1);
        Assert.Equal(TimeSpan.FromSeconds(15), lease.T2);

        var bad = new Harness();
        Dhcp4Lease defaulted = bad.Bind(30, t1: 10, t2: 40);
        Assert.Equal(TimeSpan.FromSeconds(10), defaulted.T1); // T1 alone is still consistent
        Assert.Equal(TimeSpan.FromSeconds(26.25), defaulted.T2);
    }

    [Fact]
    public void InfiniteLease_HasNoTimers_AndNoWake()
    {
        var h = new Harness();
        Dhcp4Lease lease = h.Bind(LeaseTimeOption.Infinite);
        Assert.Equal(TimeSpan.MaxValue, lease.LeaseTime);
        Assert.Equal(DateTimeOffset.MaxValue, lease.ExpiresAt);
        Assert.Null(h.Client.NextWake);
    }

    [Theory]
    [InlineData(null, "192.0.2.100", 24)] // class C by default
    [InlineData(null, "10.1.2.3", 8)] // class A
    [InlineData("255.255.255.252", "192.0.2.100", 30)]
    [InlineData("255.0.255.0", "192.0.2.100", 24)] // not contiguous: classful
    public void PrefixLength_ComesFromTheSubnetMask_OrTheAddressClass(string? mask, string address, int length)
    {
        var h = new Harness();
        Dhcp4Message discover = h.Start(null).Single().Message;
        h.Receive(Offer(discover, IPAddress.Parse(address)));
        Dhcp4Message request = h.Sent.Single().Message;
        Dhcp4Message ack = Ack(request, lease: 3600, yiaddr: IPAddress.Parse(address), mask: mask is null ? null : IPAddress.Parse(mask));
        Assert.Equal(length, h.ReceiveChange(ack).Lease!.PrefixLength);
    }

    [Fact]
    public void Start_WithAValidSavedLease_InitReboots_AndTheAckConfirmsTheSameAddress()
    {
        var h = new Harness();
        Dhcp4Lease saved = SavedLease(h.Now - TimeSpan.FromSeconds(600));
        (Dhcp4Message request, IPAddress to) = h.Start(saved).Single();
        Assert.Empty(h.Changes); // nothing reported until a server confirms
        Assert.Equal(Dhcp4ClientState.Rebooting, h.Client.State);
        Assert.Equal(IPAddress.Broadcast, to);
        Assert.Equal(Dhcp4MessageType.Request, request.MessageType);
        Assert.True(request.Broadcast);
        Assert.Equal(IPAddress.Any, request.ClientAddress); // RFC 2131 §4.3.2: ciaddr 0 in INIT-REBOOT
        Assert.Equal(s_leased, request.Find<RequestedIpAddressOption>()!.Address);
        Assert.Null(request.Find<ServerIdentifierOption>());

        Dhcp4LeaseChanged change = h.ReceiveChange(Ack(request, lease: 3600));
        Assert.Equal(Dhcp4LeaseChangeReason.Confirmed, change.Reason);
        Assert.Equal(saved, change.Previous);
        Assert.Equal(s_leased, change.Lease!.Address);
        Assert.Equal(Dhcp4ClientState.Bound, h.Client.State);
    }

    [Fact]
    public void InitReboot_Nak_ReportsTheSavedLeaseRefused_AndDiscovers()
    {
        var h = new Harness();
        Dhcp4Lease saved = SavedLease(h.Now);
        Dhcp4Message request = h.Start(saved).Single().Message;

        Dhcp4LeaseChanged lost = h.ReceiveChange(Nak(request));
        Assert.Equal(Dhcp4LeaseChangeReason.Refused, lost.Reason);
        Assert.Equal(saved, lost.Previous);
        Assert.Null(lost.Lease);
        Assert.Equal(Dhcp4MessageType.Discover, h.RunUntilSent().Message.MessageType);
    }

    [Fact]
    public void InitReboot_TwoTriesUnanswered_ReportsTheSavedLeaseUnconfirmed_AndDiscoversForIt()
    {
        var h = new Harness();
        Dhcp4Lease saved = SavedLease(h.Now);
        DateTimeOffset start = h.Now;
        h.Start(saved);
        Assert.Equal(Dhcp4MessageType.Request, h.RunUntilSent().Message.MessageType); // second try at 4 s
        Dhcp4Message discover = h.RunUntilSent().Message; // gives up at 4 + 8 s
        Assert.Equal(start + TimeSpan.FromSeconds(12), h.Now);
        Assert.Equal(Dhcp4MessageType.Discover, discover.MessageType);
        Assert.Equal(s_leased, discover.Find<RequestedIpAddressOption>()!.Address);
        Dhcp4LeaseChanged lost = h.Changes.Single();
        Assert.Equal(Dhcp4LeaseChangeReason.Unconfirmed, lost.Reason);
        Assert.Equal(saved, lost.Previous);
    }

    [Fact]
    public void Start_WithAnExpiredSavedLease_ReportsItExpired_AndDiscoversAskingForItsAddress()
    {
        var h = new Harness();
        Dhcp4Lease saved = SavedLease(h.Now - TimeSpan.FromSeconds(7200));
        IReadOnlyList<(Dhcp4Message Message, IPAddress To)> sent = h.Start(saved);
        Dhcp4LeaseChanged lost = h.Changes.Single();
        Assert.Equal(Dhcp4LeaseChangeReason.Expired, lost.Reason);
        Assert.Equal(Dhcp4MessageType.Discover, sent.Single().Message.MessageType);
        Assert.Equal(s_leased, sent.Single().Message.Find<RequestedIpAddressOption>()!.Address);
    }

    [Fact]
    public void Stop_WhenBound_UnicastsReleaseToTheServer_ThenReportsTheLeaseReleased()
    {
        var h = new Harness();
        Dhcp4Lease lease = h.Bind(3600);
        IReadOnlyList<Dhcp4ClientAction> actions = h.Client.Stop(h.Now);

        var send = Assert.IsType<Dhcp4Send>(actions[0]); // sent while the address is still installed
        Dhcp4Message release = Dhcp4Message.Parse(send.Message.ToArray());
        Assert.Equal(s_hgw, send.Destination);
        Assert.Equal(Dhcp4MessageType.Release, release.MessageType);
        Assert.Equal(s_leased, release.ClientAddress);
        Assert.False(release.Broadcast);
        Assert.Equal(s_hgw, release.Find<ServerIdentifierOption>()!.Address);
        Assert.Equal(new ClientIdentifierOption(1, s_mac), release.Find<ClientIdentifierOption>());
        var lost = Assert.IsType<Dhcp4LeaseChanged>(actions[1]);
        Assert.Equal(Dhcp4LeaseChangeReason.Released, lost.Reason);
        Assert.Equal(lease, lost.Previous);
        Assert.Equal(Dhcp4ClientState.Stopped, h.Client.State);
        Assert.Null(h.Client.NextWake);
    }

    [Fact]
    public void Stop_WithoutALease_SendsNothing()
    {
        var h = new Harness();
        h.Start(null);
        Assert.Empty(h.Client.Stop(h.Now));
        Assert.Equal(Dhcp4ClientState.Stopped, h.Client.State);
    }

    [Fact]
    public void Replies_WithAnotherXidOrHardwareAddress_OrFromAClient_AreIgnored()
    {
        var h = new Harness();
        Dhcp4Message discover = h.Start(null).Single().Message;
        Dhcp4Message offer = Offer(discover);
        Assert.Empty(h.Receive(offer with { TransactionId = discover.TransactionId + 1 }));
        Assert.Empty(h.Receive(offer with { HardwareAddress = new ByteString([2, 0, 0, 0, 0, 9]) }));
        Assert.Empty(h.Receive(offer with { Op = Dhcp4OpCode.BootRequest }));
        Assert.Empty(h.Receive(offer with { Options = [.. offer.Options.Where(o => o is not ServerIdentifierOption)] }));
        Assert.Equal(Dhcp4ClientState.Selecting, h.Client.State);
    }

    [Fact]
    public void Ack_WithoutLeaseTime_IsIgnored_AndTheRequestRetransmitted()
    {
        var h = new Harness();
        Dhcp4Message discover = h.Start(null).Single().Message;
        h.Receive(Offer(discover));
        Dhcp4Message request = h.Sent.Single().Message;
        Dhcp4Message ack = Ack(request, lease: 3600);
        Assert.Empty(h.Receive(ack with { Options = [.. ack.Options.Where(o => o is not LeaseTimeOption)] }));
        Assert.Equal(Dhcp4ClientState.Requesting, h.Client.State);
        Assert.Equal(Dhcp4MessageType.Request, h.RunUntilSent().Message.MessageType);
    }

    [Fact]
    public void Requesting_AckFromAnotherServer_IsIgnored()
    {
        var h = new Harness();
        h.Receive(Offer(h.Start(null).Single().Message));
        Dhcp4Message ack = Ack(h.Sent.Single().Message, lease: 3600);
        var other = ack with { Options = [.. ack.Options.Select(o => o is ServerIdentifierOption ? new ServerIdentifierOption(IPAddress.Parse("192.0.2.2")) : o)] };
        Assert.Empty(h.Receive(other));
        Assert.Empty(h.Changes);
        Assert.Equal(Dhcp4ClientState.Requesting, h.Client.State);
        Assert.Equal(Dhcp4LeaseChangeReason.Acquired, h.ReceiveChange(ack).Reason); // the chosen server's ACK still binds
        Assert.Equal(Dhcp4ClientState.Bound, h.Client.State);
    }

    private static Dhcp4Lease SavedLease(DateTimeOffset acquired) =>
        new(s_leased, 24, s_hgw, [s_hgw], [s_dns], null, TimeSpan.FromSeconds(3600), TimeSpan.FromSeconds(1800), TimeSpan.FromSeconds(3150), acquired);

    private static Dhcp4Message Offer(Dhcp4Message discover, IPAddress? yiaddr = null) =>
        Reply(discover, Dhcp4MessageType.Offer, yiaddr ?? s_leased, [new LeaseTimeOption(3600), new SubnetMaskOption(IPAddress.Parse("255.255.255.0"))]);

    private static Dhcp4Message Ack(Dhcp4Message request, uint lease, uint? t1 = null, uint? t2 = null, IPAddress? yiaddr = null, IPAddress? mask = null)
    {
        IPAddress address = yiaddr ?? (request.ClientAddress.Equals(IPAddress.Any) ? request.Find<RequestedIpAddressOption>()!.Address : request.ClientAddress);
        var options = new List<Dhcp4Option>
        {
            new LeaseTimeOption(lease),
            new RouterOption([s_hgw]),
            new DomainNameServerOption([s_dns]),
            new DomainNameOption("hgw.example"),
        };
        if (yiaddr is null || mask is not null)
        {
            options.Add(new SubnetMaskOption(mask ?? IPAddress.Parse("255.255.255.0")));
        }

        if (t1 is { } r1)
        {
            options.Add(new RenewalTimeOption(r1));
        }

        if (t2 is { } r2)
        {
            options.Add(new RebindingTimeOption(r2));
        }

        return Reply(request, Dhcp4MessageType.Ack, address, options);
    }

    private static Dhcp4Message Nak(Dhcp4Message request) => Reply(request, Dhcp4MessageType.Nak, IPAddress.Any, []);

    private static Dhcp4Message Reply(Dhcp4Message request, Dhcp4MessageType type, IPAddress yiaddr, List<Dhcp4Option> options) =>
        Dhcp4Message.Parse(new Dhcp4Message
        {
            Op = Dhcp4OpCode.BootReply,
            TransactionId = request.TransactionId,
            Flags = request.Flags,
            ClientAddress = request.ClientAddress,
            YourAddress = yiaddr,
            HardwareAddress = request.HardwareAddress,
            Options = [new MessageTypeOption(type), new ServerIdentifierOption(s_hgw), .. options],
        }.ToArray());

    /// <summary>The client on a fake clock; what it sends goes through the codec; lease changes are collected.</summary>
    private sealed class Harness
    {
        private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero));
        private uint _xid = 0x3903f326;

        public Harness(double random = 0.5) =>
            Client = new Services.Dhcp4Client.Dhcp4Client(new Dhcp4ClientConfig(s_mac) { ProbeAddress = false }, () => random, () => ++_xid); // the probe has tests of its own

        public Services.Dhcp4Client.Dhcp4Client Client { get; }

        public DateTimeOffset Now => _time.GetUtcNow();

        /// <summary>The messages of the last call, decoded from their bytes.</summary>
        public List<(Dhcp4Message Message, IPAddress To)> Sent { get; } = [];

        /// <summary>The lease changes of the last call.</summary>
        public List<Dhcp4LeaseChanged> Changes { get; } = [];

        public IReadOnlyList<(Dhcp4Message Message, IPAddress To)> Start(Dhcp4Lease? saved) => Take(Client.Start(Now, saved));

        public IReadOnlyList<(Dhcp4Message Message, IPAddress To)> Receive(Dhcp4Message reply) => Take(Client.Receive(Now, reply));

        public Dhcp4LeaseChanged ReceiveChange(Dhcp4Message reply)
        {
            Receive(reply);
            return Changes.Single();
        }

        public void Advance(TimeSpan by) => _time.Advance(by);

        /// <summary>Moves the clock to each wake and ticks until the client sends something (hang guard: a simulated year).</summary>
        public (Dhcp4Message Message, IPAddress To) RunUntilSent()
        {
            DateTimeOffset deadline = Now + TimeSpan.FromDays(365);
            while (Now < deadline)
            {
                DateTimeOffset wake = Client.NextWake ?? throw new InvalidOperationException("the client has nothing to wake for");
                if (wake > Now)
                {
                    _time.SetUtcNow(wake);
                }

                if (Take(Client.Tick(Now)).Count > 0)
                {
                    return Sent[^1];
                }
            }

            throw new TimeoutException("nothing sent within a simulated year");
        }

        /// <summary>Starts and binds <paramref name="lease"/> seconds (T1/T2 as given).</summary>
        public Dhcp4Lease Bind(uint lease, uint? t1 = null, uint? t2 = null)
        {
            Dhcp4Message discover = Start(null).Single().Message;
            Receive(Offer(discover));
            return ReceiveChange(Ack(Sent.Single().Message, lease, t1, t2)).Lease!;
        }

        private IReadOnlyList<(Dhcp4Message Message, IPAddress To)> Take(IReadOnlyList<Dhcp4ClientAction> actions)
        {
            Sent.Clear();
            Changes.Clear();
            foreach (Dhcp4ClientAction a in actions)
            {
                switch (a)
                {
                    case Dhcp4Send s:
                        Sent.Add((Dhcp4Message.Parse(s.Message.ToArray()), s.Destination));
                        break;
                    case Dhcp4LeaseChanged c:
                        Changes.Add(c);
                        break;
                }
            }

            return [.. Sent];
        }
    }
}
