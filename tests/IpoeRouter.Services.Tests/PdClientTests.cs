using System.Net;
using IpoeRouter.Protocols.Dhcp6;
using IpoeRouter.Protocols.Wire;
using IpoeRouter.Services.Dhcp6PdClient;
using Xunit;

namespace IpoeRouter.Services.Tests;

/// <summary>
/// The PD client's exchanges driven message by message and second by second. Every message goes
/// through the wire codec both ways, as it would on a socket; the random source is fixed at the middle
/// (RAND = 0), so the timeouts are exactly those of RFC 8415 §7.6.
/// </summary>
public sealed class PdClientTests
{
    private static readonly Duid s_client = new DuidLl(DuidLl.Ethernet, new ByteString([0x00, 0x0d, 0xb9, 0, 0, 1]));
    private static readonly Duid s_hgw = new DuidLl(DuidLl.Ethernet, new ByteString([0x02, 0, 0, 0, 0, 0x47]));
    private static readonly IPAddress s_first = IPAddress.Parse("2001:db8:1230::");
    private static readonly IPAddress s_second = IPAddress.Parse("2001:db8:4560::");
    private static readonly DateTimeOffset s_t0 = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Solicit_CollectsAdvertisesForTheFirstTimeout_ThenRequestsAndBinds()
    {
        var h = new Harness();
        Dhcp6Message solicit = h.Start(null).Single();
        Assert.Equal(Dhcp6MessageType.Solicit, solicit.Type);
        Assert.Equal((ushort)0, solicit.Find<ElapsedTimeOption>()!.Hundredths);
        Assert.Equal(new LeasedPrefixHint(IPAddress.IPv6Any, 60), Hint(solicit));
        Assert.Contains(Dhcp6OptionCode.AftrName, solicit.Find<OroOption>()!.Codes);
        Assert.Contains(Dhcp6OptionCode.DnsServers, solicit.Find<OroOption>()!.Codes);

        Assert.Empty(h.Receive(Advertise(solicit, s_first)));
        Assert.Equal(PdState.Soliciting, h.Client.State);

        Dhcp6Message request = h.RunUntilSent(); // the first timeout (1.1 s with RAND taken positive → 1 s here)
        Assert.Equal(Dhcp6MessageType.Request, request.Type);
        Assert.Equal(s_hgw, request.Find<ServerIdOption>()!.Duid);
        Assert.Equal(new LeasedPrefixHint(s_first, 60), Hint(request));

        h.Receive(Reply(request, t1: 7200, t2: 11520, (s_first, 12600, 14400)));
        Assert.Equal(PdState.Bound, h.Client.State);
        PdLeaseChanged change = h.Changes.Single();
        Assert.Equal(["2001:db8:1230::/60"], change.Lease!.Prefixes.Select(p => p.ToString()));
        Assert.Equal(TimeSpan.FromSeconds(14400), change.Lease.Prefixes[0].Valid);
        Assert.Equal("dslite.example.net", change.Lease.AftrName);
        Assert.Equal([IPAddress.Parse("2001:db8::53")], change.Lease.DnsServers);
        Assert.Equal(h.Now + TimeSpan.FromSeconds(7200), h.Client.NextWake);
    }

    [Fact]
    public void FirstSolicit_WaitsARandomPartOfSolMaxDelay_AndItsElapsedTimeStartsWhenSent()
    {
        var h = new Harness(firstSolicitMaxDelay: TimeSpan.FromSeconds(1)); // the random source gives 0.5
        Assert.Empty(h.Start(null));
        Assert.Equal(s_t0 + TimeSpan.FromSeconds(0.5), h.Client.NextWake);

        Dhcp6Message solicit = h.RunUntilSent();
        Assert.Equal(Dhcp6MessageType.Solicit, solicit.Type);
        Assert.Equal(s_t0 + TimeSpan.FromSeconds(0.5), h.Now);
        Assert.Equal((ushort)0, solicit.Find<ElapsedTimeOption>()!.Hundredths);

        // The delay is not the collection window: an Advertise now still waits for the first timeout.
        Assert.Empty(h.Receive(Advertise(solicit, s_first)));
        Assert.Equal(Dhcp6MessageType.Request, h.RunUntilSent().Type);
        Assert.Equal(s_t0 + TimeSpan.FromSeconds(1.5), h.Now);
    }

    [Fact]
    public void SolMaxRt_FromAServer_CapsTheSolicitRetransmissions()
    {
        var h = new Harness();
        Dhcp6Message solicit = h.Start(null).Single();
        // An Advertise with nothing to offer still carries the server's SOL_MAX_RT (RFC 8415 §18.2.9).
        var empty = new Dhcp6Message(Dhcp6MessageType.Advertise, solicit.TransactionId, [
            new ClientIdOption(s_client), new ServerIdOption(s_hgw), new StatusCodeOption(Dhcp6Status.NoPrefixAvail, "none"), new SolMaxRtOption(120)]);
        Assert.Empty(h.Receive(empty));

        var gaps = new List<TimeSpan>();
        DateTimeOffset last = h.Now;
        for (int i = 0; i < 12; i++)
        {
            h.RunUntilSent();
            gaps.Add(h.Now - last);
            last = h.Now;
        }

        // 1 → 2 → 4 … doubling (RAND = 0 here), then held at the server's 120 s instead of 3600 s.
        Assert.Equal(TimeSpan.FromSeconds(120), gaps.Max());
        Assert.Equal(TimeSpan.FromSeconds(120), gaps[^1]);
    }

    [Fact]
    public void SolMaxRt_OutOfRange_IsIgnored()
    {
        var h = new Harness();
        Dhcp6Message solicit = h.Start(null).Single();
        h.Receive(new Dhcp6Message(Dhcp6MessageType.Advertise, solicit.TransactionId, [
            new ClientIdOption(s_client), new ServerIdOption(s_hgw), new StatusCodeOption(Dhcp6Status.NoPrefixAvail, "none"), new SolMaxRtOption(10)]));
        var gaps = new List<TimeSpan>();
        DateTimeOffset last = h.Now;
        for (int i = 0; i < 14; i++)
        {
            h.RunUntilSent();
            gaps.Add(h.Now - last);
            last = h.Now;
        }

        Assert.True(gaps[^1] > TimeSpan.FromSeconds(1000), $"still doubling towards 3600 s: {gaps[^1]}"); // 10 s is below the 60 s minimum
    }

    [Fact]
    public void AdvertiseWithPreference255_IsRequestedAtOnce()
    {
        var h = new Harness();
        Dhcp6Message solicit = h.Start(null).Single();
        Dhcp6Message advertise = Advertise(solicit, s_first, new PreferenceOption(255));

        Assert.Equal(Dhcp6MessageType.Request, h.Receive(advertise).Single().Type);
    }

    [Fact]
    public void AdvertiseWithNoPrefixAvail_IsIgnored_AndSolicitIsRetransmittedWithDoublingTimeouts()
    {
        var h = new Harness();
        Dhcp6Message solicit = h.Start(null).Single();
        var refused = new Dhcp6Message(Dhcp6MessageType.Advertise, solicit.TransactionId, [
            new ClientIdOption(s_client), new ServerIdOption(s_hgw),
            new IaPdOption(1, 0, 0, [new StatusCodeOption(Dhcp6Status.NoPrefixAvail, "none left")])]);
        h.Receive(refused);

        var times = new List<TimeSpan>();
        for (int i = 0; i < 4; i++)
        {
            Dhcp6Message again = h.RunUntilSent();
            Assert.Equal(Dhcp6MessageType.Solicit, again.Type);
            Assert.Equal(solicit.TransactionId, again.TransactionId);
            times.Add(h.Now - s_t0);
        }

        Assert.Equal([1, 3, 7, 15], times.Select(t => t.TotalSeconds));
        Assert.Equal((ushort)1500, h.LastSent.Find<ElapsedTimeOption>()!.Hundredths);
    }

    [Fact]
    public void UnansweredRenewAndRebind_ThenExpiry_WithdrawThePrefix_AndSolicitWithItAsHint()
    {
        var h = Harness.Bound(t1: 100, t2: 160, preferred: 180, valid: 200);

        Dhcp6Message renew = h.RunUntilSent();
        Assert.Equal((Dhcp6MessageType.Renew, 100.0), (renew.Type, (h.Now - h.BoundAt).TotalSeconds));
        Assert.Equal(s_hgw, renew.Find<ServerIdOption>()!.Duid);
        Assert.Equal(new LeasedPrefixHint(s_first, 60), Hint(renew));

        var renewTimes = new List<double>();
        Dhcp6Message next;
        while ((next = h.RunUntilSent()).Type == Dhcp6MessageType.Renew)
        {
            renewTimes.Add((h.Now - h.BoundAt).TotalSeconds);
        }

        Assert.Equal([110, 130], renewTimes); // REN_TIMEOUT 10 s doubling; the third wait is cut at T2
        Assert.Equal((Dhcp6MessageType.Rebind, 160.0), (next.Type, (h.Now - h.BoundAt).TotalSeconds));
        Assert.Null(next.Find<ServerIdOption>());
        Assert.Equal(PdState.Rebinding, h.Client.State);

        while ((next = h.RunUntilSent()).Type == Dhcp6MessageType.Rebind)
        {
        }

        Assert.Equal((Dhcp6MessageType.Solicit, 200.0), (next.Type, (h.Now - h.BoundAt).TotalSeconds));
        PdLeaseChanged gone = h.Changes.Last();
        Assert.Null(gone.Lease);
        Assert.Equal(["2001:db8:1230::/60"], gone.Withdrawn.Select(p => p.ToString()));
        Assert.Equal(new LeasedPrefixHint(s_first, 60), Hint(next));
    }

    [Fact]
    public void RenewReply_WithdrawingTheOldPrefixAndGrantingANewOne_ReportsBoth()
    {
        var h = Harness.Bound(t1: 100, t2: 160, preferred: 180, valid: 200);
        Dhcp6Message renew = h.RunUntilSent();

        h.Receive(Reply(renew, t1: 100, t2: 160, (s_first, 0, 0), (s_second, 180, 200)));

        PdLeaseChanged change = h.Changes.Last();
        Assert.Equal(["2001:db8:4560::/60"], change.Lease!.Prefixes.Select(p => p.ToString()));
        Assert.Equal(["2001:db8:1230::/60"], change.Withdrawn.Select(p => p.ToString()));
        Assert.Equal(PdState.Bound, h.Client.State);
    }

    [Fact]
    public void RenewReply_RefreshesLifetimes_AndKeepsPrefixesItDidNotMention()
    {
        var h = Harness.Bound(t1: 100, t2: 160, preferred: 180, valid: 200, extra: s_second);
        Dhcp6Message renew = h.RunUntilSent();

        h.Receive(Reply(renew, t1: 100, t2: 160, (s_first, 180, 200)));

        PdLease lease = h.Changes.Last().Lease!;
        Assert.Equal(h.Now, lease.Prefixes.Single(p => p.Prefix.Equals(s_first)).Since);
        Assert.Equal(h.BoundAt, lease.Prefixes.Single(p => p.Prefix.Equals(s_second)).Since);
        Assert.Empty(h.Changes.Last().Withdrawn);
    }

    [Theory]
    [InlineData(Dhcp6Status.NoBinding)]
    [InlineData(Dhcp6Status.NoPrefixAvail)]
    public void RenewAnsweredWith_NoBindingOrNoPrefixAvail_SolicitsAgainAskingForTheSamePrefix(Dhcp6Status status)
    {
        var h = Harness.Bound(t1: 100, t2: 160, preferred: 180, valid: 200);
        Dhcp6Message renew = h.RunUntilSent();

        Dhcp6Message solicit = h.Receive(new Dhcp6Message(Dhcp6MessageType.Reply, renew.TransactionId, [
            new ClientIdOption(s_client), new ServerIdOption(s_hgw), new IaPdOption(1, 0, 0, [new StatusCodeOption(status, "gone")])])).Single();

        Assert.Equal(Dhcp6MessageType.Solicit, solicit.Type);
        Assert.Equal(new LeasedPrefixHint(s_first, 60), Hint(solicit));
        Assert.NotNull(h.Client.Lease); // still usable until its valid lifetime ends
    }

    [Fact]
    public void AfterNoBinding_ANewBindingWithAnotherPrefix_ReplacesTheOld_AndWithdrawsIt()
    {
        var h = Harness.Bound(t1: 100, t2: 160, preferred: 180, valid: 200);
        Dhcp6Message renew = h.RunUntilSent();
        Dhcp6Message solicit = h.Receive(new Dhcp6Message(Dhcp6MessageType.Reply, renew.TransactionId, [
            new ClientIdOption(s_client), new ServerIdOption(s_hgw), new IaPdOption(1, 0, 0, [new StatusCodeOption(Dhcp6Status.NoBinding, "gone")])])).Single();
        h.Receive(Advertise(solicit, s_second));
        Dhcp6Message request = h.RunUntilSent();

        h.Receive(Reply(request, t1: 100, t2: 160, (s_second, 180, 200)));

        PdLeaseChanged change = h.Changes.Last();
        Assert.Equal(["2001:db8:4560::/60"], change.Lease!.Prefixes.Select(p => p.ToString()));
        Assert.Equal(["2001:db8:1230::/60"], change.Withdrawn.Select(p => p.ToString()));
    }

    [Fact]
    public void RequestRefusedWithNoPrefixAvail_AgainAndAgain_BacksOffBeforeEachNewSolicit()
    {
        var h = new Harness();
        Dhcp6Message solicit = h.Start(null).Single();
        var gaps = new List<double>();
        for (int i = 0; i < 4; i++)
        {
            Dhcp6Message request = h.Receive(Advertise(solicit, s_first, new PreferenceOption(255))).Single();
            Assert.Equal(Dhcp6MessageType.Request, request.Type);
            DateTimeOffset refusedAt = h.Now;
            Assert.Empty(h.Receive(new Dhcp6Message(Dhcp6MessageType.Reply, request.TransactionId, [
                new ClientIdOption(s_client), new ServerIdOption(s_hgw), new IaPdOption(1, 0, 0, [new StatusCodeOption(Dhcp6Status.NoPrefixAvail, "none")])])));
            solicit = h.RunUntilSent();
            Assert.Equal((Dhcp6MessageType.Solicit, (ushort)0), (solicit.Type, solicit.Find<ElapsedTimeOption>()!.Hundredths));
            gaps.Add((h.Now - refusedAt).TotalSeconds);
        }

        Assert.Equal([2, 4, 8, 16], gaps);
    }

    [Fact]
    public void Restart_WithAValidLease_KeepsThePrefixAndRebindsFirst()
    {
        var h = new Harness();
        var saved = new PdLease(s_hgw, TimeSpan.FromSeconds(7200), TimeSpan.FromSeconds(11520), s_t0.AddHours(-1),
            [new LeasedPrefix(s_first, 60, TimeSpan.FromSeconds(12600), TimeSpan.FromSeconds(14400), s_t0.AddHours(-1))], [], null);

        Dhcp6Message rebind = h.Start(saved).Single();

        Assert.Equal(Dhcp6MessageType.Rebind, rebind.Type);
        Assert.Equal(new LeasedPrefixHint(s_first, 60), Hint(rebind));
        Assert.Equal(saved.Prefixes, h.Changes.Single().Lease!.Prefixes); // the LAN keeps its /64 during the restart
        h.Receive(Reply(rebind, t1: 7200, t2: 11520, (s_first, 12600, 14400)));
        Assert.Equal(PdState.Bound, h.Client.State);
        Assert.Empty(h.Changes.Last().Withdrawn);
    }

    [Fact]
    public void Restart_WithAnExpiredLease_SolicitsWithTheOldPrefixAsHint()
    {
        var h = new Harness();
        var saved = new PdLease(s_hgw, TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(80), s_t0.AddHours(-5),
            [new LeasedPrefix(s_first, 60, TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(200), s_t0.AddHours(-5))], [], null);

        Dhcp6Message solicit = h.Start(saved).Single();

        Assert.Equal(Dhcp6MessageType.Solicit, solicit.Type);
        Assert.Equal(new LeasedPrefixHint(s_first, 60), Hint(solicit));
        PdLeaseChanged gone = Assert.Single(h.Changes); // expired while down: reported gone, so what was made from it goes too
        Assert.Null(gone.Lease);
        Assert.Equal(["2001:db8:1230::/60"], gone.Withdrawn.Select(p => p.ToString()));
    }

    [Fact]
    public void WhileTheFirstSolicitWaits_NothingIsTakenAsAnAnswer()
    {
        var h = new Harness(firstSolicitMaxDelay: TimeSpan.FromSeconds(1));
        Assert.Empty(h.Start(null));
        var early = new Dhcp6Message(Dhcp6MessageType.Advertise, 0x100, [
            new ClientIdOption(s_client), new ServerIdOption(s_hgw), new PreferenceOption(255),
            new IaPdOption(1, 7200, 11520, [new IaPrefixOption(12600, 14400, 60, s_first, [])])]);

        Assert.Empty(h.Receive(early)); // the xid the Solicit will carry, but it was never sent: no Request
        Assert.Equal(PdState.Soliciting, h.Client.State);
        Assert.Equal(Dhcp6MessageType.Solicit, h.RunUntilSent().Type);
    }

    [Fact]
    public void UnansweredRequest_GivesUpAfterTenTransmissions_AndSolicitsAgain()
    {
        var h = new Harness();
        Dhcp6Message solicit = h.Start(null).Single();
        h.Receive(Advertise(solicit, s_first));

        int requests = 0;
        Dhcp6Message next;
        while ((next = h.RunUntilSent()).Type == Dhcp6MessageType.Request)
        {
            requests++;
        }

        Assert.Equal((10, Dhcp6MessageType.Solicit), (requests, next.Type));
    }

    [Fact]
    public void RepliesForAnotherTransactionOrClient_AreIgnored()
    {
        var h = new Harness();
        Dhcp6Message solicit = h.Start(null).Single();
        h.Receive(Advertise(solicit, s_first));
        Dhcp6Message request = h.RunUntilSent();
        Dhcp6Message good = Reply(request, 100, 160, (s_first, 180, 200));

        h.Receive(good with { TransactionId = request.TransactionId ^ 1 });
        h.Receive(good with { Options = [new ClientIdOption(s_hgw), .. good.Options.Where(o => o is not ClientIdOption)] });

        Assert.Equal(PdState.Requesting, h.Client.State);
        Assert.Empty(h.Changes);
    }

    [Fact]
    public void ZeroT1T2_AreChosenAsHalfAndFourFifthsOfThePreferredLifetime()
    {
        var h = Harness.Bound(t1: 0, t2: 0, preferred: 1000, valid: 2000);

        Assert.Equal((TimeSpan.FromSeconds(500), TimeSpan.FromSeconds(800)), (h.Client.Lease!.T1, h.Client.Lease.T2));
    }

    [Fact]
    public void ZeroT1_WithAServerT2_KeepsT2_AndChoosesOnlyT1()
    {
        var h = Harness.Bound(t1: 0, t2: 300, preferred: 1000, valid: 2000);

        Assert.Equal((TimeSpan.FromSeconds(300), TimeSpan.FromSeconds(300)), (h.Client.Lease!.T1, h.Client.Lease.T2)); // 0.5 × 1000 capped at T2
    }

    [Fact]
    public void ZeroTimers_IgnoreDeprecatedPrefixes_SoTheClientDoesNotRenewInALoop()
    {
        var h = Harness.Bound(t1: 100, t2: 160, preferred: 180, valid: 200);
        Dhcp6Message renew = h.RunUntilSent();

        h.Receive(Reply(renew, t1: 0, t2: 0, (s_first, 0, 150), (s_second, 1000, 2000)));

        Assert.Equal((TimeSpan.FromSeconds(500), TimeSpan.FromSeconds(800)), (h.Client.Lease!.T1, h.Client.Lease.T2));
    }

    [Fact]
    public void EqualT1AndT2_GoStraightToRebind()
    {
        var h = Harness.Bound(t1: 100, t2: 100, preferred: 180, valid: 200);

        Assert.Equal(Dhcp6MessageType.Rebind, h.RunUntilSent().Type);
    }

    [Fact]
    public void Stop_WhileSolicitingAgainAfterNoBinding_ReportsTheDisownedLeaseGone()
    {
        var h = Harness.Bound(t1: 100, t2: 160, preferred: 180, valid: 200);
        Dhcp6Message renew = h.RunUntilSent();
        h.Receive(new Dhcp6Message(Dhcp6MessageType.Reply, renew.TransactionId, [
            new ClientIdOption(s_client), new ServerIdOption(s_hgw), new IaPdOption(1, 0, 0, [new StatusCodeOption(Dhcp6Status.NoBinding, "gone")])]));

        PdLeaseChanged gone = h.Client.Stop(h.Now).OfType<PdLeaseChanged>().Single();

        Assert.Null(gone.Lease);
        Assert.Equal(["2001:db8:1230::/60"], gone.Withdrawn.Select(p => p.ToString()));
        Assert.Equal(PdState.Stopped, h.Client.State);
    }

    [Fact]
    public void T1AboveT2_MakesTheReplyUnusable()
    {
        var h = new Harness();
        Dhcp6Message solicit = h.Start(null).Single();
        h.Receive(Advertise(solicit, s_first));
        Dhcp6Message request = h.RunUntilSent();

        h.Receive(Reply(request, t1: 300, t2: 200, (s_first, 180, 400)));

        Assert.Equal(PdState.Requesting, h.Client.State);
    }

    [Fact]
    public void Stop_ReleasesTheBinding_ReportsTheLeaseGone_AndEndsOnTheReply()
    {
        var h = Harness.Bound(t1: 100, t2: 160, preferred: 180, valid: 200);

        Dhcp6Message release = Assert.IsType<PdSend>(h.Client.Stop(h.Now).Where(a => a is PdSend).Single()).Message;
        Assert.Equal(Dhcp6MessageType.Release, release.Type);
        Assert.Equal(s_hgw, release.Find<ServerIdOption>()!.Duid);
        Assert.Equal(new LeasedPrefixHint(s_first, 60), Hint(release));

        h.Receive(new Dhcp6Message(Dhcp6MessageType.Reply, release.TransactionId, [new ClientIdOption(s_client), new ServerIdOption(s_hgw)]));
        Assert.Equal(PdState.Stopped, h.Client.State);
        Assert.Null(h.Client.NextWake);
    }

    private static LeasedPrefixHint Hint(Dhcp6Message m)
    {
        IaPrefixOption p = m.Find<IaPdOption>()!.Prefixes.Single();
        return new LeasedPrefixHint(p.Prefix, p.PrefixLength);
    }

    private static Dhcp6Message Advertise(Dhcp6Message solicit, IPAddress prefix, params Dhcp6Option[] extra) =>
        new(Dhcp6MessageType.Advertise, solicit.TransactionId, [
            new ClientIdOption(s_client), new ServerIdOption(s_hgw),
            new IaPdOption(1, 7200, 11520, [new IaPrefixOption(12600, 14400, 60, prefix, [])]), .. extra]);

    private static Dhcp6Message Reply(Dhcp6Message to, uint t1, uint t2, params (IPAddress Prefix, uint Preferred, uint Valid)[] prefixes) =>
        new(Dhcp6MessageType.Reply, to.TransactionId, [
            new ClientIdOption(s_client), new ServerIdOption(s_hgw),
            new IaPdOption(1, t1, t2, prefixes.Select(p => (Dhcp6Option)new IaPrefixOption(p.Preferred, p.Valid, 60, p.Prefix, [])).ToList()),
            new DnsServersOption([IPAddress.Parse("2001:db8::53")]),
            new AftrNameOption("dslite.example.net")]);

    private sealed record LeasedPrefixHint(IPAddress Prefix, byte Length);

    /// <summary>Drives the client as its host would: every message through the codec, the clock moved to each wake-up.</summary>
    private sealed class Harness
    {
        private int _xid = 0x100;

        public Harness(TimeSpan? firstSolicitMaxDelay = null) =>
            Client = new PdClient(new PdClientConfig(s_client, 1, 60) { FirstSolicitMaxDelay = firstSolicitMaxDelay ?? TimeSpan.Zero }, () => 0.5, () => _xid++);

        public PdClient Client { get; }

        public DateTimeOffset Now { get; private set; } = s_t0;

        public DateTimeOffset BoundAt { get; private set; }

        public List<PdLeaseChanged> Changes { get; } = [];

        public Dhcp6Message LastSent { get; private set; } = null!;

        public static Harness Bound(uint t1, uint t2, uint preferred, uint valid, IPAddress? extra = null)
        {
            var h = new Harness();
            Dhcp6Message solicit = h.Start(null).Single();
            h.Receive(Advertise(solicit, s_first, new PreferenceOption(255)));
            var prefixes = new List<(IPAddress, uint, uint)> { (s_first, preferred, valid) };
            if (extra is not null)
            {
                prefixes.Add((extra, preferred, valid));
            }

            h.Receive(Reply(h.LastSent, t1, t2, [.. prefixes]));
            Assert.Equal(PdState.Bound, h.Client.State);
            h.BoundAt = h.Now;
            h.Changes.Clear();
            return h;
        }

        public List<Dhcp6Message> Start(PdLease? saved) => Record(Client.Start(Now, saved));

        public List<Dhcp6Message> Receive(Dhcp6Message message) => Record(Client.Receive(Now, Dhcp6Message.Parse(message.ToArray())));

        /// <summary>Moves the clock from wake-up to wake-up until the client sends something.</summary>
        public Dhcp6Message RunUntilSent()
        {
            for (int i = 0; i < 1000; i++)
            {
                Now = Client.NextWake ?? throw new InvalidOperationException("the client has nothing to wait for");
                if (Record(Client.Tick(Now)) is [.., var last])
                {
                    return last;
                }
            }

            throw new InvalidOperationException("the client sent nothing");
        }

        private List<Dhcp6Message> Record(IReadOnlyList<PdAction> actions)
        {
            Changes.AddRange(actions.OfType<PdLeaseChanged>());
            var sent = actions.OfType<PdSend>().Select(s => Dhcp6Message.Parse(s.Message.ToArray())).ToList();
            if (sent.Count > 0)
            {
                LastSent = sent[^1];
            }

            return sent;
        }
    }
}
