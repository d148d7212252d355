using System.Net;
using System.Text.RegularExpressions;
using IpoeRouter.Control;
using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Rtnl;

namespace IpoeRouter.Engine.Diagnostics;

/// <summary>
/// Decides <c>Test-IpoeRouter</c>'s checks from <see cref="RouterFacts"/> alone; <see cref="RouterProbe"/>
/// gathers the facts. Each check gives at least one <see cref="RouterCheck"/> (a Pass when nothing is
/// wrong), so the output says what was looked at as well as what was found. Fail first.
/// </summary>
public static class RouterCheckScan
{
    /// <summary>The hand-built router's cron watchdog scripts (they restarted services and re-applied netplan every minute).</summary>
    public static IReadOnlyList<string> WatchdogNames { get; } = ["check-ipoe.sh", "check-nwconn.sh", "check-ip6tnl1.sh"];

    /// <summary>All checks for a router whose document needs <paramref name="neededPorts"/>.</summary>
    public static IReadOnlyList<RouterCheck> Decide(RouterFacts facts, IReadOnlyCollection<ServicePort> neededPorts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(neededPorts);
        var links = facts.Links.Select(l => new RouterLink(l.Name, l.Index)).ToList();
        List<ConflictFinding> conflicts = [.. ConflictScan.Decide(facts.Conflicts, links, neededPorts)];
        List<RouterCheck> checks =
        [
            .. Ports(conflicts, neededPorts),
            .. LinkManager(conflicts, facts),
            .. facts.Links.Select(AcceptRa),
            .. AddressState(facts),
            .. facts.Tunnels.Select(t => TunnelLocal(t, facts.Addresses)),
            .. Watchdogs(facts),
            .. Agent(facts.Agent),
        ];
        return [.. checks.OrderByDescending(c => c.Status)];
    }

    /// <summary>The port holders: a Fail when another program holds a port the document needs (loopback-only DNS aside), else a Warn; a Pass when none.</summary>
    public static IEnumerable<RouterCheck> Ports(IReadOnlyList<ConflictFinding> conflicts, IReadOnlyCollection<ServicePort> neededPorts)
    {
        ArgumentNullException.ThrowIfNull(conflicts);
        ArgumentNullException.ThrowIfNull(neededPorts);
        var held = conflicts.Where(c => c.Check == ConflictChecks.PortHeld).ToList();
        if (held.Count == 0)
        {
            string ports = neededPorts.Count == 0 ? "none needed" : string.Join(", ", neededPorts);
            return [new RouterCheck(RouterChecks.Ports, CheckStatus.Pass, "DHCP and DNS ports",
                $"no other program holds udp 546/547/67/68 or tcp/udp 53 (the document needs: {ports})", null)];
        }

        return held.Select(c => new RouterCheck(RouterChecks.Ports, Status(c.Severity), PortOf(c.Evidence), c.Evidence, c.Remedy) { Process = c.Holder, Pid = c.Pid });
    }

    /// <summary>systemd-networkd (its state files) or netplan (a file naming the link) managing a router link; a Pass when neither does.</summary>
    public static IEnumerable<RouterCheck> LinkManager(IReadOnlyList<ConflictFinding> conflicts, RouterFacts facts)
    {
        ArgumentNullException.ThrowIfNull(conflicts);
        ArgumentNullException.ThrowIfNull(facts);
        var found = conflicts.Where(c => c.Check is ConflictChecks.NetworkdManagesLink or ConflictChecks.NetworkdMayManageLink)
            .Select(c => new RouterCheck(RouterChecks.LinkManager, Status(c.Severity), "systemd-networkd", c.Evidence, c.Remedy) { Process = c.Holder, Pid = c.Pid })
            .ToList();
        foreach (ConfigFile file in facts.Netplan)
        {
            foreach (LinkFacts link in facts.Links)
            {
                // a netplan stanza names the link as an indented mapping key ("    enp1s0:"), or renames a device to it ("set-name: enp1s0")
                var key = new Regex($@"^\s+({Regex.Escape(link.Name)}:|set-name:\s*[""']?{Regex.Escape(link.Name)}[""']?)\s*(#.*)?$", RegexOptions.Multiline | RegexOptions.CultureInvariant);
                if (LineOf(file.Text, key) is { } line)
                {
                    found.Add(new RouterCheck(RouterChecks.LinkManager, CheckStatus.Warn, file.Path,
                        $"{file.Path} line {line} configures {link.Name}; netplan hands it to systemd-networkd or NetworkManager at boot and on 'netplan apply'",
                        $"Remove {link.Name}'s stanza from {file.Path} (the router's document declares the link), then 'netplan generate'."));
                }
            }
        }

        return found.Count > 0 ? found
            : [new RouterCheck(RouterChecks.LinkManager, CheckStatus.Pass, string.Join(", ", facts.Links.Select(l => l.Name)),
                "neither systemd-networkd nor a netplan file manages the router's links", null)];
    }

    /// <summary>
    /// An interface that should take RAs: Fail when forwarding is on and accept_ra is below 2 (the
    /// kernel then ignores RAs, and the default route dies with the RA's lifetime: the seed's
    /// 90-minute outage), or when accept_ra is 0; Warn when the link or its values are missing;
    /// Pass otherwise, and for interfaces that take no RAs.
    /// </summary>
    public static RouterCheck AcceptRa(LinkFacts link)
    {
        ArgumentNullException.ThrowIfNull(link);
        string target = link.Name;
        if (!link.TakesRouterAdvertisements)
        {
            return new RouterCheck(RouterChecks.AcceptRa, CheckStatus.Pass, target, $"{link.Name} takes no RAs in the document{(link.AcceptRa is null ? "" : $" (accept_ra={link.AcceptRa})")}", null);
        }

        if (link.Index == 0 || link.Forwarding is null || link.AcceptRa is null)
        {
            return new RouterCheck(RouterChecks.AcceptRa, CheckStatus.Warn, target,
                link.Index == 0 ? $"{link.Name} does not exist" : $"net/ipv6/conf/{link.Name}/forwarding or accept_ra could not be read",
                $"Create {link.Name} (or fix its name in the document), then run Test-IpoeRouter again.");
        }

        string evidence = $"net/ipv6/conf/{link.Name}/forwarding={link.Forwarding}, accept_ra={link.AcceptRa}";
        string remedy = $"Set accept_ra to 2 on {link.Name} ('sysctl -w net.ipv6.conf.{link.Name.Replace('.', '/')}.accept_ra=2', and in /etc/sysctl.d/); the agent keeps it at 2 while it runs.";
        if (link.Forwarding != "0" && link.AcceptRa is "0" or "1")
        {
            return new RouterCheck(RouterChecks.AcceptRa, CheckStatus.Fail, target,
                evidence + "; with forwarding on, the kernel ignores RAs unless accept_ra is 2, so the RA default route expires with its lifetime (the hand-built router's 90-minute outage)", remedy);
        }

        if (link.AcceptRa == "0")
        {
            return new RouterCheck(RouterChecks.AcceptRa, CheckStatus.Fail, target, evidence + "; the kernel ignores RAs", remedy);
        }

        return new RouterCheck(RouterChecks.AcceptRa, CheckStatus.Pass, target, evidence, null);
    }

    /// <summary>The addresses on the router's links: Fail for one that lost DAD, Warn for one still tentative, one Pass when all are usable.</summary>
    public static IEnumerable<RouterCheck> AddressState(RouterFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var found = new List<RouterCheck>();
        foreach (LinkFacts link in facts.Links.Where(l => l.Index > 0))
        {
            foreach (AddressInfo a in facts.Addresses.Where(a => a.Index == link.Index))
            {
                string address = $"{a.Address}/{a.PrefixLength}";
                if ((a.Flags & Ifa.FlagDadFailed) != 0)
                {
                    found.Add(new RouterCheck(RouterChecks.AddressState, CheckStatus.Fail, $"{link.Name} {address}",
                        $"{address} on {link.Name} is dadfailed: another host on the link answers for it",
                        $"Find the other host using {a.Address} ('ip -6 neigh show {a.Address}', the HGW's table) and give one of them another address; then 'ip addr del {address} dev {link.Name}' and add it again."));
                }
                else if (a.IsTentative)
                {
                    found.Add(new RouterCheck(RouterChecks.AddressState, CheckStatus.Warn, $"{link.Name} {address}",
                        $"{address} on {link.Name} is tentative: duplicate address detection has not finished{(!link.IsUp ? " (it stays so while the link is down or has no carrier)" : "")}, and nothing can bind it",
                        $"Bring {link.Name} up with a carrier ('ip link set {link.Name} up', check the cable); DAD then ends in about a second."));
                }
            }
        }

        return found.Count > 0 ? found
            : [new RouterCheck(RouterChecks.AddressState, CheckStatus.Pass, string.Join(", ", facts.Links.Select(l => l.Name)),
                "no address on the router's links is tentative or dadfailed", null)];
    }

    /// <summary>
    /// A tunnel: Fail when its ip6tnl link's local address is unset or not an address of the namespace
    /// (the kernel drops every packet: "Local address not yet configured!"), or is tentative or dadfailed;
    /// Warn when the link does not exist; Pass otherwise (a user-space B4's health is the agent's to say).
    /// </summary>
    public static RouterCheck TunnelLocal(TunnelFacts tunnel, IReadOnlyList<AddressInfo> addresses)
    {
        ArgumentNullException.ThrowIfNull(tunnel);
        ArgumentNullException.ThrowIfNull(addresses);
        if (tunnel.Kind is null)
        {
            return new RouterCheck(RouterChecks.TunnelLocal, CheckStatus.Warn, tunnel.Name, $"there is no link {tunnel.Name}",
                "Run Invoke-IpoeReconcile (or start ipoe-agent); Get-IpoeStatus says why a tunnel waits.");
        }

        if (tunnel.Local is not { } local)
        {
            return new RouterCheck(RouterChecks.TunnelLocal, CheckStatus.Pass, tunnel.Name, $"{tunnel.Name} is a {tunnel.Kind} link (its local address is the agent's)", null);
        }

        const string remedy = "Let the agent build the tunnel from the WAN's current address (a tunnel whose local: follows the WAN, not a hard-coded address), and check the WAN has its global address (Get-IpoeStatus).";
        if (local.Equals(IPAddress.IPv6Any))
        {
            return new RouterCheck(RouterChecks.TunnelLocal, CheckStatus.Fail, tunnel.Name, $"{tunnel.Name} has no local address (local ::)", remedy);
        }

        AddressInfo? held = addresses.FirstOrDefault(a => a.Address.Equals(local));
        if (held is null)
        {
            return new RouterCheck(RouterChecks.TunnelLocal, CheckStatus.Fail, tunnel.Name,
                $"{tunnel.Name}'s local {local} is on no link: the kernel drops what it sends ('{tunnel.Name} xmit: Local address not yet configured!')", remedy);
        }

        if ((held.Flags & (Ifa.FlagTentative | Ifa.FlagDadFailed)) != 0)
        {
            return new RouterCheck(RouterChecks.TunnelLocal, CheckStatus.Fail, tunnel.Name,
                $"{tunnel.Name}'s local {local} is {((held.Flags & Ifa.FlagDadFailed) != 0 ? "dadfailed" : "tentative")}: the kernel does not send from it yet", remedy);
        }

        return new RouterCheck(RouterChecks.TunnelLocal, CheckStatus.Pass, tunnel.Name, $"{tunnel.Name}'s local {local} is configured", null);
    }

    /// <summary>The cron watchdogs: a Warn per crontab line that runs one and per script on disk; one Pass when none.</summary>
    public static IEnumerable<RouterCheck> Watchdogs(RouterFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var found = new List<RouterCheck>();
        foreach (ConfigFile crontab in facts.Crontabs)
        {
            string[] lines = crontab.Text.Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                string line = lines[i].Trim();
                if (line.StartsWith('#') || WatchdogNames.FirstOrDefault(n => line.Contains(n, StringComparison.Ordinal)) is not { } name)
                {
                    continue;
                }

                found.Add(new RouterCheck(RouterChecks.Watchdog, CheckStatus.Warn, $"{crontab.Path}:{i + 1}",
                    $"{crontab.Path} line {i + 1} runs {name}: '{line}'",
                    $"Remove the line ({(crontab.Path.Contains("/spool/", StringComparison.Ordinal) ? "'crontab -e' as root" : "edit " + crontab.Path)}): the watchdog restarts services and re-applies netplan behind the agent's back."));
            }
        }

        foreach (string script in facts.WatchdogScripts)
        {
            found.Add(new RouterCheck(RouterChecks.Watchdog, CheckStatus.Warn, script, $"{script} is still installed",
                $"Delete {script} once no crontab runs it (the agent does what it did)."));
        }

        return found.Count > 0 ? found
            : [new RouterCheck(RouterChecks.Watchdog, CheckStatus.Pass, "cron", $"no crontab runs {string.Join(", ", WatchdogNames)}, and none of them is installed", null)];
    }

    /// <summary>
    /// The agent: Fail when none serves the router, it does not answer, or its last pass failed; Warn
    /// when its last pass is Pending (with the pending items), Held or NotRun; Pass when Converged.
    /// Each tunnel it reports gives an <see cref="RouterChecks.AgentTunnel"/>: Down is a Fail, Pending
    /// or Unknown a Warn, Up a Pass, with the status's reason and last error.
    /// </summary>
    public static IEnumerable<RouterCheck> Agent(AgentFacts agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (agent.Pid is not { } pid)
        {
            yield return new RouterCheck(RouterChecks.Agent, CheckStatus.Fail, "ipoe-agent", "no ipoe-agent serves this router",
                "Install and start it: Install-IpoeAgent (or 'systemctl start ipoe-agent').");
            yield break;
        }

        if (agent.Status is not { } status)
        {
            yield return new RouterCheck(RouterChecks.Agent, CheckStatus.Fail, $"ipoe-agent (pid {pid})", $"ipoe-agent (pid {pid}) did not answer: {agent.Error}",
                $"Look at its log ('journalctl -u ipoe-agent'); restart it if it hangs ('systemctl restart ipoe-agent').") { Process = "ipoe-agent", Pid = pid };
            yield break;
        }

        ReconcileStatus r = status.Reconcile;
        string target = $"ipoe-agent (pid {pid})";
        string pending = r.Pending.Count == 0 ? "" : $"; pending: {string.Join("; ", r.Pending)}";
        yield return r.Outcome switch
        {
            "Converged" => new RouterCheck(RouterChecks.Agent, CheckStatus.Pass, target, $"last reconcile Converged ({status.DocumentPath})", null),
            "Failed" => new RouterCheck(RouterChecks.Agent, CheckStatus.Fail, target, $"last reconcile Failed: {r.Error ?? "no error given"}{pending}",
                "Get-IpoeStatus shows the pass; fix what the error names, and the agent tries again."),
            _ => new RouterCheck(RouterChecks.Agent, CheckStatus.Warn, target, $"last reconcile {r.Outcome}{(r.Error is null ? "" : ": " + r.Error)}{pending}",
                r.Outcome == "Held" ? "Confirm-IpoeReconcile keeps the held apply; Undo-IpoeReconcile takes it back." : "The pending items wait for what they name (a WAN address, a delegated prefix); Get-IpoeStatus shows them."),
        } with { Process = "ipoe-agent", Pid = pid };

        foreach (TunnelStatus t in status.Tunnels)
        {
            string words = $"{t.Name} ({t.Backend}) is {t.State}{(t.Reason is null ? "" : ": " + t.Reason)}{(t.LastError is null ? "" : $" (last error: {t.LastError})")}";
            yield return t.State switch
            {
                "Up" => new RouterCheck(RouterChecks.AgentTunnel, CheckStatus.Pass, t.Name, words, null),
                "Down" => new RouterCheck(RouterChecks.AgentTunnel, CheckStatus.Fail, t.Name, words,
                    $"Probes through {t.Name} fail: check the AFTR ({t.Remote ?? "unknown"}) answers from the WAN and the local address {t.Local ?? "(none)"} is the WAN's."),
                _ => new RouterCheck(RouterChecks.AgentTunnel, CheckStatus.Warn, t.Name, words, "Wait for what the reason names; Get-IpoeStatus shows the tunnel."),
            };
        }
    }

    private static CheckStatus Status(ConflictSeverity severity) => severity == ConflictSeverity.Fail ? CheckStatus.Fail : CheckStatus.Warn;

    private static string PortOf(string evidence) => evidence.Split(" is bound", 2)[0];

    private static int? LineOf(string text, Regex key)
    {
        Match m = key.Match(text);
        return m.Success ? text[..m.Index].Count(c => c == '\n') + 1 : null;
    }
}
