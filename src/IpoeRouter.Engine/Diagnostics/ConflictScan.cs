using IpoeRouter.Services.Hosting;

namespace IpoeRouter.Engine.Diagnostics;

/// <summary>
/// Decides, from facts alone (<see cref="ConflictFacts"/>), what on the machine gets in the
/// router's way — the pure half of the conflict scan; <see cref="ConflictProbe"/> gathers the facts.
/// <list type="bullet">
/// <item>A socket another program holds on a watched port (<see cref="ServicePort.All"/>) is a
/// <see cref="ConflictChecks.PortHeld"/> finding: Fail when the document needs that port, else
/// Warning. One exception: a DNS socket bound to a loopback address only (systemd-resolved's stub on
/// 127.0.0.53) is a Warning, because the forwarder binds the LANs' own addresses, which it does not
/// block. A socket whose holder could not be read names the one running known program that uses
/// that port (<see cref="ConflictRemedies.KnownPorts"/>), if there is exactly one, and says so.</item>
/// <item>systemd-networkd managing one of the router's links (<see cref="NetworkdLinkState.IsManaged"/>)
/// while it runs is a Fail (<see cref="ConflictChecks.NetworkdManagesLink"/>); running without having
/// decided about a link, or without a state file for it, a Warning (<see cref="ConflictChecks.NetworkdMayManageLink"/>).
/// State files left by a networkd that no longer runs are not findings.</item>
/// </list>
/// Findings come Fail first, then by port and link, so the first line says what matters most.
/// </summary>
public static class ConflictScan
{
    /// <summary>The findings for a router using <paramref name="links"/> whose document needs <paramref name="neededPorts"/>.</summary>
    public static IReadOnlyList<ConflictFinding> Decide(ConflictFacts facts, IReadOnlyList<RouterLink> links, IReadOnlyCollection<ServicePort> neededPorts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(links);
        ArgumentNullException.ThrowIfNull(neededPorts);
        var findings = new List<ConflictFinding>();
        foreach (BoundSocket socket in facts.Sockets.OrderBy(s => s.Port).ThenBy(s => s.Protocol, StringComparer.Ordinal))
        {
            if (!ServicePort.All.Contains(new ServicePort(socket.Protocol, socket.Port)))
            {
                continue;
            }

            bool needed = neededPorts.Contains(new ServicePort(socket.Protocol, socket.Port));
            bool blocks = needed && !(socket.Port == 53 && socket.IsLoopback);
            ConflictSeverity severity = blocks ? ConflictSeverity.Fail : ConflictSeverity.Warning;
            string evidence = $"{socket} is bound (uid {socket.Uid}){(needed ? blocks ? "; the document needs this port" : "; on loopback only, so the forwarder can still bind the LANs' addresses" : "; the document does not use this port")}";
            if (socket.Holders.Count == 0)
            {
                // The holder's /proc/PID/fd could not be read (another user's, or one with more capabilities):
                // name the one running program known to use this port (of the socket's uid when several are), saying it is inferred.
                List<RunningProgram> likely = [.. facts.Programs.Where(p =>
                    ConflictRemedies.KnownPorts.TryGetValue(p.Name, out IReadOnlyList<ServicePort>? ports) && ports.Contains(new ServicePort(socket.Protocol, socket.Port)))];
                if (likely.Count > 1)
                {
                    likely = [.. likely.Where(p => p.Uid == socket.Uid)];
                }

                RunningProgram? guess = likely.Count == 1 ? likely[0] : null;
                string inferred = guess is null
                    ? "; who holds it could not be read"
                    : $"; who holds it could not be read, and {guess.Name} is the one running program known to use this port";
                findings.Add(new ConflictFinding(ConflictChecks.PortHeld, severity, guess?.Name, guess?.Pid, evidence + inferred, ConflictRemedies.For(guess?.Name, socket, links)));
                continue;
            }

            foreach (PortHolderProcess holder in socket.Holders)
            {
                findings.Add(new ConflictFinding(ConflictChecks.PortHeld, severity, holder.Name, holder.Pid, evidence, ConflictRemedies.For(holder.Name, socket, links)));
            }
        }

        if (facts.Networkd is { } networkd)
        {
            foreach (RouterLink link in links)
            {
                NetworkdLinkState? state = link.Index > 0 ? facts.NetworkdLinks.FirstOrDefault(s => s.Index == link.Index) : null;
                if (state is { IsManaged: true })
                {
                    findings.Add(new ConflictFinding(ConflictChecks.NetworkdManagesLink, ConflictSeverity.Fail, networkd.Name, networkd.Pid,
                        $"/run/systemd/netif/links/{link.Index} ({link.Name}): ADMIN_STATE={state.AdminState}{(state.NetworkFile is { Length: > 0 } f ? $", NETWORK_FILE={f}" : "")}",
                        ConflictRemedies.NetworkdLink(link, state)));
                }
                else if (state is null || state.IsUndecided)
                {
                    findings.Add(new ConflictFinding(ConflictChecks.NetworkdMayManageLink, ConflictSeverity.Warning, networkd.Name, networkd.Pid,
                        state is null
                            ? $"systemd-networkd runs and has no state for {link.Name}{(link.Index > 0 ? $" (/run/systemd/netif/links/{link.Index})" : "")}"
                            : $"/run/systemd/netif/links/{link.Index} ({link.Name}): ADMIN_STATE={state.AdminState}",
                        ConflictRemedies.NetworkdLink(link, state)));
                }
            }
        }

        return [.. findings.OrderByDescending(f => f.Severity)];
    }
}
