using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using IpoeRouter.Lab;
using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Linux.Rtnl;
using Xunit;
using Xunit.Abstractions;

namespace IpoeRouter.Linux.Tests.Netns;

/// <summary>
/// The rtnetlink listener against the real kernel: each change made with <c>ip</c> in a fresh
/// namespace shows up as an event of the right kind, action and interface index; local-table
/// routes do not; overflow and dispose behave as documented.
/// </summary>
public sealed class RtnlEventListenerTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [NetnsFact]
    public void LinkAddressAndRouteChanges_EachArriveWithKindActionAndIndex()
    {
        using var ns = new NetnsFixture();
        int v0 = new LinkOps(ns.Socket).Dump().Single(l => l.Name == "v0").Index;
        using var listener = RtnlEventListener.Open(NetworkNamespace.Named(ns.Name), TimeSpan.FromMilliseconds(200));
        output.WriteLine($"receive buffer granted: {listener.ReceiveBufferBytes} bytes");
        var all = new List<RtnlEvent>();

        List<RtnlEvent> up = Step(listener, all, () => ns.InNs("link set v0 up"), e => e.Kind == RtnlEventKind.Link);
        RtnlEvent link = Assert.Single(up, e => e.Kind == RtnlEventKind.Link && e.InterfaceIndex == v0);
        Assert.Equal(RtnlEventAction.New, link.Action);
        Assert.Equal("link v0 up (no carrier)", link.Summary); // v1 is still down

        List<RtnlEvent> add6 = Step(listener, all, () => ns.InNs("-6 addr add 2001:db8:1::1/64 dev v0 nodad"), IsAddress("2001:db8:1::1/64"));
        RtnlEvent address6 = Assert.Single(add6, IsAddress("2001:db8:1::1/64"));
        Assert.Equal((RtnlEventAction.New, v0), (address6.Action, address6.InterfaceIndex));
        Assert.Equal($"address 2001:db8:1::1/64 new on index {v0}", address6.Summary);
        Assert.DoesNotContain(all, e => e.Kind == RtnlEventKind.Route && e.Summary.Contains("2001:db8:1::1/128", StringComparison.Ordinal)); // local table

        List<RtnlEvent> del6 = Step(listener, all, () => ns.InNs("-6 addr del 2001:db8:1::1/64 dev v0"), IsAddress("2001:db8:1::1/64"));
        RtnlEvent deleted6 = Assert.Single(del6, IsAddress("2001:db8:1::1/64"));
        Assert.Equal((RtnlEventAction.Deleted, v0), (deleted6.Action, deleted6.InterfaceIndex));
        Assert.Equal($"address 2001:db8:1::1/64 deleted on index {v0}", deleted6.Summary);

        List<RtnlEvent> add4 = Step(listener, all, () => ns.InNs("-4 addr add 192.0.2.1/24 dev v0"), IsAddress("192.0.2.1/24"));
        Assert.Equal((RtnlEventAction.New, v0), Assert.Single(add4, IsAddress("192.0.2.1/24")) is var a4 ? (a4.Action, a4.InterfaceIndex) : default);
        RtnlEvent subnet = Assert.Single(add4, e => e.Kind == RtnlEventKind.Route); // the connected /24 in main; local and broadcast routes are in local
        Assert.Equal((RtnlEventAction.New, v0), (subnet.Action, subnet.InterfaceIndex));
        Assert.Equal($"route 192.0.2.0/24 dev #{v0} (proto kernel) new", subnet.Summary);

        List<RtnlEvent> del4 = Step(listener, all, () => ns.InNs("-4 addr del 192.0.2.1/24 dev v0"), IsAddress("192.0.2.1/24"));
        Assert.Equal((RtnlEventAction.Deleted, v0), Assert.Single(del4, IsAddress("192.0.2.1/24")) is var d4 ? (d4.Action, d4.InterfaceIndex) : default);

        List<RtnlEvent> addRoute = Step(listener, all, () => ns.InNs("-6 route add 2001:db8:9::/48 dev v0 proto static"), IsRoute("2001:db8:9::/48"));
        RtnlEvent route = Assert.Single(addRoute, IsRoute("2001:db8:9::/48"));
        Assert.Equal((RtnlEventAction.New, v0), (route.Action, route.InterfaceIndex));
        Assert.Equal($"route 2001:db8:9::/48 dev #{v0} (proto static) new", route.Summary);

        List<RtnlEvent> replaced = Step(listener, all, () => ns.InNs("-6 route replace 2001:db8:9::/48 dev v0 proto 233"), IsRoute("2001:db8:9::/48"));
        RtnlEvent replacement = Assert.Single(replaced, IsRoute("2001:db8:9::/48")); // NLM_F_REPLACE on the notification
        Assert.Equal((RtnlEventAction.New, $"route 2001:db8:9::/48 dev #{v0} (proto ipoe) replaced"), (replacement.Action, replacement.Summary));

        List<RtnlEvent> delRoute = Step(listener, all, () => ns.InNs("-6 route del 2001:db8:9::/48 dev v0"), IsRoute("2001:db8:9::/48"));
        Assert.Equal((RtnlEventAction.Deleted, v0), Assert.Single(delRoute, IsRoute("2001:db8:9::/48")) is var dr ? (dr.Action, dr.InterfaceIndex) : default);

        // Routes of other tables give no event: the local table, and table 510 (rtm_table says
        // RT_TABLE_COMPAT, only RTA_TABLE has the number). A main-table route added last proves
        // the earlier ones had time to arrive.
        List<RtnlEvent> otherTables = Step(listener, all, () =>
        {
            ns.InNs("-6 route add local 2001:db8:7::1 dev v0 table local");
            ns.InNs("-6 route add 2001:db8:8::/48 dev v0 table 510");
            ns.InNs("-4 route add 198.51.100.0/24 dev v0 table 510");
            ns.InNs("-6 route add 2001:db8:6::/48 dev v0");
        }, IsRoute("2001:db8:6::/48"));
        Assert.Equal([$"route 2001:db8:6::/48 dev #{v0} (proto boot) new"], otherTables.Where(e => e.Kind == RtnlEventKind.Route).Select(e => e.Summary));

        List<RtnlEvent> forever = Step(listener, all, () => ns.InNs("-6 addr add 2001:db8:1::2/64 dev v0 nodad"), IsAddress("2001:db8:1::2/64"));
        Assert.Equal($"address 2001:db8:1::2/64 new on index {v0}", Assert.Single(forever, IsAddress("2001:db8:1::2/64")).Summary);
        List<RtnlEvent> lifetimes = Step(listener, all, () => ns.InNs("-6 addr change 2001:db8:1::2/64 dev v0 valid_lft 100 preferred_lft 50"),
            e => IsAddress("2001:db8:1::2/64")(e) && e.Summary.Contains("valid", StringComparison.Ordinal));
        RtnlEvent changed = Assert.Single(lifetimes, IsAddress("2001:db8:1::2/64"));
        Assert.Equal((RtnlEventAction.New, v0), (changed.Action, changed.InterfaceIndex));
        Assert.Equal($"address 2001:db8:1::2/64 new on index {v0} (valid 100 s, preferred 50 s)", changed.Summary);

        List<RtnlEvent> down = Step(listener, all, () => ns.InNs("link set v0 down"), e => e.Kind == RtnlEventKind.Link);
        Assert.Equal("link v0 down", Assert.Single(down, e => e.Kind == RtnlEventKind.Link).Summary);

        Assert.DoesNotContain(all, e => e.Kind is RtnlEventKind.Unknown or RtnlEventKind.Overflow);
    }

    [NetnsFact]
    public void Carrier_GivesLinkAndLinkLocalEvents_AndAnAddressUnderDadArrivesTwice()
    {
        using var ns = new NetnsFixture();
        int v0 = new LinkOps(ns.Socket).Dump().Single(l => l.Name == "v0").Index;
        ns.InNs("link set v0 up");
        using var listener = RtnlEventListener.Open(NetworkNamespace.Named(ns.Name), TimeSpan.FromMilliseconds(200));
        var all = new List<RtnlEvent>();

        Predicate<RtnlEvent> linkLocalReady = e => e.Kind == RtnlEventKind.Address && e.InterfaceIndex == v0
            && e.Summary.StartsWith("address fe80:", StringComparison.Ordinal) && !e.Summary.Contains("tentative", StringComparison.Ordinal);
        List<RtnlEvent> events = Step(listener, all, () => ns.InNs("link set v1 up"), linkLocalReady);

        Assert.Contains(events, e => e.Kind == RtnlEventKind.Link && e.InterfaceIndex == v0 && e.Summary == "link v0 up");
        Assert.Contains(events, e => e.Kind == RtnlEventKind.Route && e.Summary == $"route fe80::/64 dev #{v0} (proto kernel) new");
        Assert.DoesNotContain(events, e => e.InterfaceIndex == v0 && e.Summary.StartsWith("address fe80:", StringComparison.Ordinal) && e.Summary.Contains("tentative", StringComparison.Ordinal));
        // The kernel announces an autoconfigured link-local address only once DAD has ended.

        Predicate<RtnlEvent> globalReady = e => IsAddress("2001:db8:1::1/64")(e) && !e.Summary.Contains("tentative", StringComparison.Ordinal);
        List<RtnlEvent> global = Step(listener, all, () => ns.InNs("-6 addr add 2001:db8:1::1/64 dev v0"), globalReady);
        int tentative = global.FindIndex(e => e.Summary == $"address 2001:db8:1::1/64 new on index {v0} (tentative)");
        int ready = global.FindIndex(e => e.Summary == $"address 2001:db8:1::1/64 new on index {v0}");
        Assert.True(tentative >= 0 && ready > tentative, "an address added by hand comes first tentative, then again when DAD ends");
    }

    [NetnsFact]
    public void LatencyFromIpReturningToTheEvent_IsReported()
    {
        using var ns = new NetnsFixture();
        ns.InNs("link set v0 up");
        using var listener = RtnlEventListener.Open(NetworkNamespace.Named(ns.Name), TimeSpan.FromMilliseconds(200));
        var heard = new ConcurrentDictionary<string, long>();
        using var stop = new CancellationTokenSource();
        var thread = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (RtnlEvent e in listener.Receive())
                {
                    long now = Stopwatch.GetTimestamp();
                    if (e.Kind == RtnlEventKind.Address && e.Action == RtnlEventAction.New)
                    {
                        heard.TryAdd(e.Summary.Split(' ')[1], now);
                    }
                }
            }
        })
        { IsBackground = true, Name = "rtnl-latency" };
        thread.Start();

        var afterReturn = new List<double>();
        var afterStart = new List<double>();
        var afterAck = new List<double>();
        var addresses = new AddressOps(ns.Socket);
        int v0 = new LinkOps(ns.Socket).Dump().Single(l => l.Name == "v0").Index;
        for (int i = 1; i <= 20; i++)
        {
            string text = string.Create(CultureInfo.InvariantCulture, $"2001:db8:2::{i:x}/64");
            long started = Stopwatch.GetTimestamp();
            ns.InNs($"-6 addr add {text} dev v0 nodad");
            long returned = Stopwatch.GetTimestamp();
            long at = WaitFor(heard, text);
            afterReturn.Add(Milliseconds(returned, at));
            afterStart.Add(Milliseconds(started, at));

            string own = string.Create(CultureInfo.InvariantCulture, $"2001:db8:3::{i:x}/64");
            addresses.Replace(new AddressSpec(v0, IPAddress.Parse(own.Split('/')[0]), 64) { Flags = Ifa.FlagNoDad });
            long acked = Stopwatch.GetTimestamp();
            long ownAt = WaitFor(heard, own);
            afterAck.Add(Milliseconds(acked, ownAt));
        }

        stop.Cancel();
        thread.Join();
        output.WriteLine($"event time minus `ip addr add` return (ms; negative = heard before ip exited): {Stats(afterReturn)}");
        output.WriteLine($"event time minus `ip addr add` start (ms): {Stats(afterStart)}");
        output.WriteLine($"event time minus in-process RTM_NEWADDR ack (ms): {Stats(afterAck)}");
        Assert.Equal(40, heard.Count);
    }

    [NetnsFact]
    public void AFullReceiveBuffer_GivesAnOverflowEvent_AndLaterEventsStillArrive()
    {
        using var ns = new NetnsFixture();
        ns.InNs("link set v0 up");
        // 32 KiB (the kernel grants twice that): room for a few dozen events, not 600. The minimum
        // (2304 bytes) would hold none: Linux 6.18 drops a notification that would not fit whole.
        using var listener = RtnlEventListener.Open(NetworkNamespace.Named(ns.Name), TimeSpan.FromMilliseconds(200), receiveBufferBytes: 32 << 10);
        output.WriteLine($"receive buffer granted: {listener.ReceiveBufferBytes} bytes");
        string batch = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(batch, Enumerable.Range(1, 300).Select(i => string.Create(CultureInfo.InvariantCulture, $"address add 2001:db8:4::{i:x}/64 dev v0 nodad")));
            NetnsFixture.Ip($"-n {ns.Name} -batch {batch}");
        }
        finally
        {
            File.Delete(batch);
        }

        List<RtnlEvent> burst = Drain(listener);
        output.WriteLine($"{burst.Count} events; {burst.Count(e => e.Kind == RtnlEventKind.Overflow)} overflow, first at {burst.FindIndex(e => e.Kind == RtnlEventKind.Overflow)}");
        Assert.Contains(burst, e => e.Kind == RtnlEventKind.Overflow);
        Assert.True(burst.Count(e => e.Kind == RtnlEventKind.Address) < 300, "some address events must have been lost");

        ns.InNs("-6 addr add 2001:db8:5::1/64 dev v0 nodad");
        List<RtnlEvent> after = Drain(listener);
        Assert.Contains(after, IsAddress("2001:db8:5::1/64"));
        Assert.DoesNotContain(after, e => e.Kind == RtnlEventKind.Overflow);
    }

    [NetnsFact]
    public void Dispose_WhileAnotherThreadWaits_ReturnsWithinTheTimeout_AndLaterReceivesThrow()
    {
        using var ns = new NetnsFixture();
        var listener = RtnlEventListener.Open(NetworkNamespace.Named(ns.Name), TimeSpan.FromMilliseconds(500));
        IReadOnlyList<RtnlEvent>? result = null;
        var entered = new ManualResetEventSlim();
        var thread = new Thread(() =>
        {
            entered.Set();
            result = listener.Receive();
        })
        { IsBackground = true };
        thread.Start();
        entered.Wait();
        Thread.Sleep(100);

        var clock = Stopwatch.StartNew();
        listener.Dispose();
        Assert.True(thread.Join(TimeSpan.FromSeconds(2)), "the blocked Receive did not return");
        output.WriteLine($"blocked Receive returned {clock.ElapsedMilliseconds} ms after Dispose");
        Assert.Empty(result!);
        Assert.Throws<ObjectDisposedException>(() => listener.Receive());
    }

    private List<RtnlEvent> Step(RtnlEventListener listener, List<RtnlEvent> all, Action change, Predicate<RtnlEvent> until)
    {
        change();
        var got = new List<RtnlEvent>();
        var clock = Stopwatch.StartNew();
        while (!got.Exists(until) && clock.Elapsed < Wait)
        {
            got.AddRange(listener.Receive());
        }

        // Whatever else the same change caused and is already queued.
        got.AddRange(listener.Receive());
        foreach (RtnlEvent e in got)
        {
            output.WriteLine($"{e.Kind,-8} {e.Action,-8} {e.InterfaceIndex,3} {e.Summary}");
        }

        output.WriteLine("--");
        all.AddRange(got);
        return got;
    }

    private static List<RtnlEvent> Drain(RtnlEventListener listener)
    {
        var events = new List<RtnlEvent>();
        while (listener.Receive() is { Count: > 0 } batch)
        {
            events.AddRange(batch);
        }

        return events;
    }

    private static long WaitFor(ConcurrentDictionary<string, long> heard, string key)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Wait)
        {
            if (heard.TryGetValue(key, out long at))
            {
                return at;
            }

            Thread.SpinWait(100);
        }

        throw new TimeoutException($"no event for {key}");
    }

    /// <summary>From <paramref name="from"/> to <paramref name="to"/>, negative when <paramref name="to"/> came first.</summary>
    private static double Milliseconds(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

    private static string Stats(List<double> values)
    {
        var sorted = values.Order().ToList();
        return string.Create(CultureInfo.InvariantCulture, $"n={sorted.Count} min={sorted[0]:0.000} median={sorted[sorted.Count / 2]:0.000} max={sorted[^1]:0.000}");
    }

    private static Predicate<RtnlEvent> IsAddress(string prefix) =>
        e => e.Kind == RtnlEventKind.Address && e.Summary.StartsWith($"address {prefix} ", StringComparison.Ordinal);

    private static Predicate<RtnlEvent> IsRoute(string prefix) =>
        e => e.Kind == RtnlEventKind.Route && e.Summary.StartsWith($"route {prefix} ", StringComparison.Ordinal);
}
