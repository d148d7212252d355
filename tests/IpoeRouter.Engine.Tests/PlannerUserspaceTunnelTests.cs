using System.Net;
using IpoeRouter.Engine.Kernel;
using IpoeRouter.Engine.Planning;
using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Rtnl;
using IpoeRouter.Model;
using IpoeRouter.Model.Yaml;
using Xunit;

namespace IpoeRouter.Engine.Tests;

/// <summary>
/// The planner's choice of backend and its plan for a tunnel carried by the agent's user-space B4,
/// on snapshots built in code (the B4's state is what the agent's kernel reports; the TUN link itself
/// is proven against the real kernel in the agent's lab tests).
/// </summary>
public sealed class PlannerUserspaceTunnelTests
{
    private const string Doc = """
        version: 1
        interfaces:
          - { name: wan0, role: wan }
          - { name: lan0, role: lan, addresses: [192.0.2.1/24] }
        tunnels:
          - { name: tnl0, remote: "2001:db8:ffff::100", local: { fromInterface: wan0 } }
        """;

    private static readonly RouterDocument s_doc = DocumentLoader.Load(Doc, "doc.yaml").Effective;
    private static readonly IPAddress Aftr = IPAddress.Parse("2001:db8:ffff::100");
    private static readonly IPAddress WanOld = IPAddress.Parse("2001:db8:0:100::2");
    private static readonly IPAddress WanNew = IPAddress.Parse("2001:db8:0:200::2");

    private static LinkInfo Link(int index, string name, bool up = true, int mtu = 1500, string? kind = null) =>
        new(index, name, up ? NetlinkConstants.InterfaceUp : 0, mtu, kind);

    private static AddressInfo Global(int index, IPAddress address) => new(index, address, 64, 0, RouteValues.ScopeUniverse, 14400, 12600);

    private static KernelSnapshot Snapshot(IEnumerable<LinkInfo> links, IEnumerable<AddressInfo> addresses, IReadOnlyDictionary<string, UserspaceTunnelState>? b4s, bool ip6tnl = false) =>
        new(links.ToList(), addresses.ToList(), [], new Dictionary<string, string?>()) { Ip6TunnelAvailable = ip6tnl, UserspaceTunnels = b4s };

    private static ResourceDiff TunnelItem(Plan plan) => plan.Items.Single(i => i.Kind == ResourceKind.Tunnel);

    [Fact]
    public void NoIp6Tunnel_NoAgent_IsPendingAndSaysTheAgentCarriesIt()
    {
        KernelSnapshot k = Snapshot([Link(1, "wan0"), Link(2, "lan0")], [Global(1, WanOld)], b4s: null);

        ResourceDiff tunnel = TunnelItem(Planner.Build(s_doc, RuntimeFacts.None, k));

        Assert.Equal(DiffOutcome.Pending, tunnel.Outcome);
        Assert.Contains("no ip6_tunnel module", tunnel.Reason, StringComparison.Ordinal);
        Assert.Contains("ipoe-agent", tunnel.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void NoIp6Tunnel_AgentCarriesNone_OpensTheB4PointedAtWanAndAftr()
    {
        KernelSnapshot k = Snapshot([Link(1, "wan0"), Link(2, "lan0")], [Global(1, WanOld)], new Dictionary<string, UserspaceTunnelState>());

        ResourceDiff tunnel = TunnelItem(Planner.Build(s_doc, RuntimeFacts.None, k));

        Assert.Equal(DiffOutcome.Create, tunnel.Outcome);
        Assert.IsType<OpenUserspaceTunnelOperation>(tunnel.Operations[0]);
        Assert.Equal(new SetUserspaceTunnelOperation("tnl0", WanOld, Aftr), tunnel.Operations[1]);
        Assert.Equal([new CloseUserspaceTunnelOperation("tnl0")], tunnel.Inverse);
    }

    [Fact]
    public void Carried_TunLinkDown_IsBroughtUpWithMtuB4AddressAndDefaultRoute()
    {
        KernelSnapshot k = Snapshot([Link(1, "wan0"), Link(2, "lan0"), Link(5, "tnl0", up: false, kind: "tun")], [Global(1, WanOld)],
            new Dictionary<string, UserspaceTunnelState> { ["tnl0"] = new(WanOld, Aftr) });

        Plan plan = Planner.Build(s_doc, RuntimeFacts.None, k);

        Assert.Equal(DiffOutcome.NoChange, TunnelItem(plan).Outcome);
        Assert.Contains($"from {WanOld} to {Aftr}", TunnelItem(plan).Reason, StringComparison.Ordinal);
        ResourceDiff link = plan.Items.Single(i => i.Kind == ResourceKind.Link && i.Key == "tnl0");
        Assert.Equal([("mtu", "1500", "1460"), ("up", "false", "true")], link.Changes.Select(c => (c.Path, c.Before, c.After)));
        ResourceDiff b4 = plan.Items.Single(i => i.Kind == ResourceKind.Address && i.Key == "192.0.0.2/29 dev tnl0");
        Assert.Equal(DiffOutcome.Create, b4.Outcome);
        ResourceDiff route = plan.Items.Single(i => i.Kind == ResourceKind.Route && i.Key.StartsWith("0.0.0.0/0", StringComparison.Ordinal));
        Assert.Equal(DiffOutcome.Create, route.Outcome);
    }

    [Fact]
    public void Carried_WanRenumbered_PointsTheB4AtTheNewAddress_AndTheInverseGoesBack()
    {
        KernelSnapshot k = Snapshot([Link(1, "wan0"), Link(2, "lan0"), Link(5, "tnl0", mtu: 1460, kind: "tun")], [Global(1, WanNew)],
            new Dictionary<string, UserspaceTunnelState> { ["tnl0"] = new(WanOld, Aftr) });

        ResourceDiff tunnel = TunnelItem(Planner.Build(s_doc, RuntimeFacts.None, k));

        Assert.Equal(DiffOutcome.Update, tunnel.Outcome);
        Assert.Equal([("local", WanOld.ToString(), WanNew.ToString())], tunnel.Changes.Select(c => (c.Path, c.Before, c.After)));
        Assert.Contains("follows wan0", tunnel.Reason, StringComparison.Ordinal);
        Assert.Equal([new SetUserspaceTunnelOperation("tnl0", WanNew, Aftr)], tunnel.Operations);
        Assert.Equal([new SetUserspaceTunnelOperation("tnl0", WanOld, Aftr)], tunnel.Inverse);
    }

    [Fact]
    public void FqdnRemote_UnresolvedThenResolved_PendingWithTheResolversWords_ThenPointed()
    {
        RouterDocument doc = DocumentLoader.Load(Doc.Replace("remote: \"2001:db8:ffff::100\"", "remote: { fqdn: aftr.example }", StringComparison.Ordinal), "doc.yaml").Effective;
        KernelSnapshot k = Snapshot([Link(1, "wan0"), Link(2, "lan0"), Link(5, "tnl0", mtu: 1460, kind: "tun")], [Global(1, WanOld)],
            new Dictionary<string, UserspaceTunnelState> { ["tnl0"] = new(null, null) });

        var failing = new RuntimeFacts { TunnelRemotes = new Dictionary<string, ResolvedRemote> { ["tnl0"] = new(null, "2001:db8::53: NXDOMAIN") } };
        ResourceDiff pending = TunnelItem(Planner.Build(doc, failing, k));
        Assert.Equal(DiffOutcome.Pending, pending.Outcome);
        Assert.Contains("2001:db8::53: NXDOMAIN", pending.Reason, StringComparison.Ordinal);

        var resolved = new RuntimeFacts { TunnelRemotes = new Dictionary<string, ResolvedRemote> { ["tnl0"] = new(Aftr, "aftr.example AAAA") } };
        ResourceDiff pointed = TunnelItem(Planner.Build(doc, resolved, k));
        Assert.Equal(DiffOutcome.Update, pointed.Outcome);
        Assert.Equal([new SetUserspaceTunnelOperation("tnl0", WanOld, Aftr)], pointed.Operations);
    }

    [Fact]
    public void CarriedButNoLongerDeclared_IsClosed_AndExistFalseToo()
    {
        RouterDocument none = DocumentLoader.Load("version: 1\ninterfaces:\n  - { name: wan0, role: wan }\n", "doc.yaml").Effective;
        KernelSnapshot k = Snapshot([Link(1, "wan0"), Link(5, "tnl0", kind: "tun")], [Global(1, WanOld)],
            new Dictionary<string, UserspaceTunnelState> { ["tnl0"] = new(WanOld, Aftr) });

        ResourceDiff gone = TunnelItem(Planner.Build(none, RuntimeFacts.None, k));
        Assert.Equal(DiffOutcome.Delete, gone.Outcome);
        Assert.Equal([new CloseUserspaceTunnelOperation("tnl0")], gone.Operations);
        Assert.Equal([new OpenUserspaceTunnelOperation("tnl0"), new SetUserspaceTunnelOperation("tnl0", WanOld, Aftr)], gone.Inverse);

        RouterDocument absent = s_doc with { Tunnels = [s_doc.Tunnels[0] with { Exist = false }] };
        Assert.Equal(DiffOutcome.Delete, TunnelItem(Planner.Build(absent, RuntimeFacts.None, k)).Outcome);
    }

    [Theory]
    [InlineData(TunnelBackend.Auto, true, TunnelBackend.Kernel)]
    [InlineData(TunnelBackend.Auto, false, TunnelBackend.Userspace)]
    [InlineData(TunnelBackend.Kernel, false, TunnelBackend.Kernel)]
    [InlineData(TunnelBackend.Userspace, true, TunnelBackend.Userspace)]
    public void Backend_AutoFollowsTheKernel_AnExplicitOneIsKept(TunnelBackend declared, bool ip6tnl, TunnelBackend chosen)
    {
        Tunnel tunnel = s_doc.Tunnels[0] with { Backend = declared };
        Assert.Equal(chosen, TunnelBindings.Backend(tunnel, ip6tnl).Backend);
    }

    [Fact]
    public void KernelBackend_WhereTheKernelHasIp6Tunnel_MakesAnIp6tnl_AndAB4StillOpenGivesWayFirst()
    {
        KernelSnapshot k = Snapshot([Link(1, "wan0"), Link(2, "lan0")], [Global(1, WanOld)], new Dictionary<string, UserspaceTunnelState>(), ip6tnl: true);
        ResourceDiff created = TunnelItem(Planner.Build(s_doc, RuntimeFacts.None, k));
        Assert.IsType<AddTunnelOperation>(created.Operations[0]);

        KernelSnapshot withB4 = Snapshot([Link(1, "wan0"), Link(2, "lan0"), Link(5, "tnl0", kind: "tun")], [Global(1, WanOld)],
            new Dictionary<string, UserspaceTunnelState> { ["tnl0"] = new(WanOld, Aftr) }, ip6tnl: true);
        ResourceDiff closing = TunnelItem(Planner.Build(s_doc, RuntimeFacts.None, withB4));
        Assert.Equal([new CloseUserspaceTunnelOperation("tnl0")], closing.Operations);
    }
}
