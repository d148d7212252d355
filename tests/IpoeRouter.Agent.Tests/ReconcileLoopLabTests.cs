using System.Diagnostics;
using IpoeRouter.Lab;
using Xunit;
using Xunit.Abstractions;

namespace IpoeRouter.Agent.Tests;

/// <summary>
/// The agent as the router's one reconciler, in the three-namespace lab: what changes under it (an
/// address deleted by hand, the firewall table flushed, the document edited, replaced by a broken one,
/// edited twenty times in a row) is put right by the pass its event starts, with no human step.
/// </summary>
public sealed class ReconcileLoopLabTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_settled = TimeSpan.FromSeconds(40);

    [NetnsFact]
    public async Task AnEngineAddressDeletedByHand_IsBack_AndTheFirewallFlushedByHand_IsRestored_EachByTheEventsPass()
    {
        using var lab = new RouterLab();
        lab.StartAgent();
        RouterStatus converged = await lab.WaitForStatus(s => s.Reconcile.Outcome == "Converged" && s.Lans[0].Prefix is not null, s_settled);
        long passes = converged.Reconcile.Passes;

        NetnsFixture.Ip($"-n {lab.Rtr} addr del 198.51.100.1/24 dev lan0");
        RouterStatus back = await lab.WaitForStatus(s => s.Reconcile.Passes > passes && HasAddress(lab, "198.51.100.1"), TimeSpan.FromSeconds(10));
        Assert.True(back.Reconcile.CauseCounts.GetValueOrDefault("address") > 0, "the pass came from the address event");
        output.WriteLine($"address back after pass {back.Reconcile.Passes}, {back.Reconcile.DurationMs:0.0} ms, causes {string.Join("; ", back.Reconcile.Causes)}");

        Assert.Contains("ct state", Nft(lab, "list table inet ipoe"), StringComparison.Ordinal);
        long firewallCauses = back.Reconcile.CauseCounts.GetValueOrDefault("firewall");
        long passesBefore = back.Reconcile.Passes;
        Nft(lab, "flush table inet ipoe"); // the rules go, the chains (and their policies) stay
        RouterStatus restored = await lab.WaitForStatus(s => s.Reconcile.CauseCounts.GetValueOrDefault("firewall") > firewallCauses
            && s.Reconcile.Passes > passesBefore && Nft(lab, "list table inet ipoe").Contains("ct state", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Contains(restored.Reconcile.Causes, c => c.StartsWith("firewall", StringComparison.Ordinal) || c.StartsWith("address", StringComparison.Ordinal));
        output.WriteLine($"firewall restored; causes so far: {string.Join(", ", restored.Reconcile.CauseCounts.Select(c => $"{c.Key} {c.Value}"))}");
    }

    [NetnsFact]
    public async Task TheDocumentEdited_IsApplied_ABrokenOneIsRefusedWithItsLine_AndTwentyRapidEdits_EndWithTheLast()
    {
        using var lab = new RouterLab();
        string document = Path.Combine(lab.Directory, "router.yaml");
        string original = File.ReadAllText(document);
        lab.StartAgent(resync: 3);
        await lab.WaitForStatus(s => s.Reconcile.Outcome == "Converged", s_settled);
        Assert.Equal("0", RouterLab.ReadSysctl(lab.Rtr, "net/ipv4/ip_forward"));

        // An edit the reconciler takes in place: a sysctl, written by rename as the cmdlets do.
        Replace(document, original + "  - { name: net.ipv4.ip_forward, value: 1 }\n");
        await lab.WaitForStatus(_ => RouterLab.ReadSysctl(lab.Rtr, "net/ipv4/ip_forward") == "1", TimeSpan.FromSeconds(10));

        // A broken version: refused with file:line:col, the running one stays (and keeps being applied).
        Replace(document, original.Replace("acceptRa: false", "acceptRA: false", StringComparison.Ordinal));
        RouterStatus refused = await lab.WaitForStatus(s => s.Document?.RefusedAt is not null, TimeSpan.FromSeconds(10));
        Assert.Contains($"{document}:7:", string.Join("\n", refused.Document!.RefusedErrors), StringComparison.Ordinal);
        RouterLab.Exec(lab.Rtr, "sysctl", "-qw", "net.ipv4.ip_forward=0");
        await lab.WaitForStatus(_ => RouterLab.ReadSysctl(lab.Rtr, "net/ipv4/ip_forward") == "1", TimeSpan.FromSeconds(10)); // the resync (every 3 s here): sysctl has no events

        // Twenty edits in a row: the last one is what runs, and no pass failed on the way.
        for (int mtu = 1401; mtu <= 1420; mtu++)
        {
            Replace(document, original.Replace("addresses: [198.51.100.1/24] }", $"addresses: [198.51.100.1/24], mtu: {mtu} }}", StringComparison.Ordinal));
        }

        await lab.WaitForStatus(_ => lab.IpJson(lab.Rtr, "link show lan0")[0].GetProperty("mtu").GetInt32() == 1420, TimeSpan.FromSeconds(10));
        RouterStatus last = await lab.WaitForStatus(_ => true, TimeSpan.FromSeconds(5)); // read after the MTU was seen, not before
        Assert.True(last.Document!.RefusedAt is null, $"refused: {string.Join("; ", last.Document.RefusedErrors)}\n{lab.AgentLog()}");
        Assert.Equal(0, last.Reconcile.OutcomeCounts.GetValueOrDefault("Failed"));
        output.WriteLine($"{last.Reconcile.Passes} passes; causes {string.Join(", ", last.Reconcile.CauseCounts.Select(c => $"{c.Key} {c.Value}"))}");
    }

    [NetnsFact]
    public async Task TheWanFlapping_TwentyTimes_EndsConverged_WithTheWansAddressAndRoute_AndTheLanStillServed()
    {
        using var lab = new RouterLab();
        lab.StartAgent();
        RouterStatus before = await lab.WaitForStatus(s => s.Reconcile.Outcome == "Converged" && s.Lans[0].Prefix is not null
            && s.Wan[0].Addresses.Any(a => a.Scope == "global") && s.Wan[0].DefaultRoutes.Count > 0, s_settled);

        for (int i = 0; i < 20; i++)
        {
            NetnsFixture.Ip($"-n {lab.Rtr} link set wan0 down");
            await Task.Delay(50);
            NetnsFixture.Ip($"-n {lab.Rtr} link set wan0 up");
            await Task.Delay(50);
        }

        RouterStatus after = await lab.WaitForStatus(s => s.Reconcile.Outcome == "Converged" && s.Reconcile.Passes > before.Reconcile.Passes
            && s.Wan[0].Addresses.Any(a => a.Scope == "global") && s.Wan[0].DefaultRoutes.Count > 0 && s.Lans[0].Prefix == before.Lans[0].Prefix
            && s.Delegations[0].State == "Bound", s_settled);
        Assert.True(after.Reconcile.CauseCounts.GetValueOrDefault("link") >= 20, $"link causes: {after.Reconcile.CauseCounts.GetValueOrDefault("link")}");
        output.WriteLine($"outcomes: {string.Join(", ", after.Reconcile.OutcomeCounts.Select(c => $"{c.Key} {c.Value}"))}");
        Assert.True(HasAddress(lab, "198.51.100.1"));
        output.WriteLine($"{after.Reconcile.Passes - before.Reconcile.Passes} passes for the flaps; causes {string.Join(", ", after.Reconcile.CauseCounts.Select(c => $"{c.Key} {c.Value}"))}");
    }

    [NetnsFact]
    public async Task TheHgwRestarting_KeaKilledAndStartedAgain_TheDelegationComesBackBound_AndTheLanKeepsItsPrefix()
    {
        using var lab = new RouterLab(renew: 4, rebind: 8, preferred: 30, valid: 60);
        lab.StartAgent();
        RouterStatus before = await lab.WaitForStatus(s => s.Reconcile.Outcome == "Converged" && s.Lans[0].Prefix is not null, s_settled);

        lab.StopKea();
        await Task.Delay(TimeSpan.FromSeconds(5)); // a renewal goes unanswered
        lab.RestartKea();

        // kea came back with a new server id and no leases: it ignores Renews, so the client Rebinds and is bound again.
        RouterStatus after = await lab.WaitForStatus(s => s.Delegations[0].State == "Bound" && s.Delegations[0].ValidUntil > DateTimeOffset.UtcNow.AddSeconds(40)
            && s.Lans[0].Prefix is not null && s.Reconcile.Outcome == "Converged", s_settled);
        Assert.Equal(before.Lans[0].Prefix, after.Lans[0].Prefix);
        Assert.True(HasAddress(lab, after.Lans[0].Prefix!.Replace("::/64", "::1", StringComparison.Ordinal)));
    }

    [NetnsFact]
    public async Task ADocumentThatChangesTheServices_StartsThemAgain_InTheSameAgent_KeepingThePrefix_AndNoFinalRa()
    {
        using var lab = new RouterLab();
        string document = Path.Combine(lab.Directory, "router.yaml");
        lab.StartAgent();
        RouterStatus before = await lab.WaitForStatus(s => s.Reconcile.Outcome == "Converged" && s.Lans[0].Prefix is not null && s.Lans[0].AnnouncementsSent > 0, s_settled);
        using RaListener ras = lab.ListenForRas();

        Replace(document, File.ReadAllText(document).Replace("range: 198.51.100.100-198.51.100.199", "range: 198.51.100.100-198.51.100.150", StringComparison.Ordinal));

        RouterStatus after = await lab.WaitForStatus(s => s.Dhcp4.Count == 1 && s.Dhcp4[0].Pool == "198.51.100.100-198.51.100.150"
            && s.Lans[0].Prefix == before.Lans[0].Prefix && s.Services.All(v => v.State == "Running"), s_settled);
        Assert.Equal(before.AgentPid, after.AgentPid);
        Assert.Contains("starting the services again", lab.AgentLog(), StringComparison.Ordinal);
        while (ras.Heard.Reader.TryRead(out var heard))
        {
            Assert.NotEqual((ushort)0, heard.Ra.RouterLifetime); // hosts were never told the router went away
        }
    }

    private static bool HasAddress(RouterLab lab, string address) =>
        lab.IpJson(lab.Rtr, "addr show dev lan0").EnumerateArray().SelectMany(l => l.GetProperty("addr_info").EnumerateArray())
            .Any(a => a.GetProperty("local").GetString() == address);

    private static string Nft(RouterLab lab, string command) => RouterLab.Exec(lab.Rtr, "nft", [.. command.Split(' ')]);

    /// <summary>Writes the document as the cmdlets do: a temporary file renamed over it.</summary>
    private static void Replace(string document, string text)
    {
        string temporary = document + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, document, overwrite: true);
    }
}
