using System.Globalization;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Services.Hosting;

namespace IpoeRouter.Engine.Diagnostics;

/// <summary>
/// The I/O half of the conflict scan: gathers <see cref="ConflictFacts"/> from <c>/proc</c> (the
/// sockets on the watched ports in a network namespace and who holds them, as <c>ss -lunp</c> and
/// <c>ss -ltnp</c> do) and from systemd-networkd's state files, then lets <see cref="ConflictScan"/>
/// decide. Run it before the services open their sockets. Naming a holder needs the rights to read
/// its <c>/proc/PID/fd</c> (ptrace rights: root with its full capabilities, or the same user); a
/// socket whose holder cannot be read is still reported, with its uid.
/// </summary>
public static class ConflictProbe
{
    /// <summary>Where systemd-networkd keeps one state file per link, named by ifindex.</summary>
    public const string NetworkdLinksDirectory = "/run/systemd/netif/links";

    /// <summary>
    /// The findings for a router using <paramref name="links"/> whose document needs
    /// <paramref name="neededPorts"/>, in <paramref name="network"/> (the caller's own when null).
    /// </summary>
    public static IReadOnlyList<ConflictFinding> Scan(IReadOnlyList<RouterLink> links, IReadOnlyCollection<ServicePort> neededPorts, NetworkNamespace? network = null) =>
        ConflictScan.Decide(Gather(network), links, neededPorts);

    /// <summary>
    /// The facts in <paramref name="network"/> (the caller's own when null). Sockets only this process
    /// holds are left out (a scan from a running agent does not find the agent). systemd-networkd
    /// manages the host's namespace only, so its state is read only for the caller's own namespace.
    /// </summary>
    public static ConflictFacts Gather(NetworkNamespace? network = null, string networkdLinksDirectory = NetworkdLinksDirectory)
    {
        network ??= NetworkNamespace.Current;
        var udp = ServicePort.All.Where(p => p.Protocol == "udp").Select(p => p.Port).ToHashSet();
        var tcp = ServicePort.All.Where(p => p.Protocol == "tcp").Select(p => p.Port).ToHashSet();
        List<BoundSocket> sockets = network.Run(() => PortHolder.BoundUdp(udp).Concat(PortHolder.ListeningTcp(tcp)).ToList());
        int self = Environment.ProcessId;
        List<BoundSocket> others = [.. sockets
            .Where(s => s.Holders.Count == 0 || s.Holders.Any(h => h.Pid != self))
            .Select(s => s.Holders.Any(h => h.Pid == self) ? s with { Holders = [.. s.Holders.Where(h => h.Pid != self)] } : s)];
        // systemd-networkd manages the host's namespace only: in another one its state and presence say nothing.
        bool host = network.Path is null;
        List<RunningProgram> programs = [.. FindPrograms(ConflictRemedies.KnownPorts.Keys.ToHashSet(StringComparer.Ordinal))
            .Where(p => p.Pid != self && (host || p.Name != ConflictRemedies.NetworkdComm))];
        return new ConflictFacts(others, host ? ReadNetworkdLinks(networkdLinksDirectory) : [], programs);
    }

    /// <summary>networkd's state per link, from the files in <paramref name="directory"/> (empty when there are none).</summary>
    public static IReadOnlyList<NetworkdLinkState> ReadNetworkdLinks(string directory)
    {
        var states = new List<NetworkdLinkState>();
        if (!Directory.Exists(directory))
        {
            return states;
        }

        foreach (string file in Directory.EnumerateFiles(directory))
        {
            if (!int.TryParse(Path.GetFileName(file), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            {
                continue;
            }

            try
            {
                string? admin = null, network = null;
                foreach (string line in File.ReadLines(file))
                {
                    if (line.StartsWith("ADMIN_STATE=", StringComparison.Ordinal))
                    {
                        admin = line["ADMIN_STATE=".Length..];
                    }
                    else if (line.StartsWith("NETWORK_FILE=", StringComparison.Ordinal))
                    {
                        network = line["NETWORK_FILE=".Length..];
                    }
                }

                if (admin is not null)
                {
                    states.Add(new NetworkdLinkState(index, admin, network));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // the link went away while we read, or the file is not ours to read
            }
        }

        return [.. states.OrderBy(s => s.Index)];
    }

    /// <summary>The running processes whose <c>/proc/PID/comm</c> is one of <paramref name="comms"/>, with their real uids.</summary>
    public static IReadOnlyList<RunningProgram> FindPrograms(IReadOnlySet<string> comms)
    {
        ArgumentNullException.ThrowIfNull(comms);
        var found = new List<RunningProgram>();
        foreach (string proc in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            try
            {
                string comm = File.ReadAllText(Path.Combine(proc, "comm")).TrimEnd('\n');
                if (!comms.Contains(comm))
                {
                    continue;
                }

                // "Uid:\treal\teffective\tsaved\tfs"
                string? uid = File.ReadLines(Path.Combine(proc, "status")).FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal))
                    ?.Split('\t', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1);
                if (int.TryParse(uid, NumberStyles.None, CultureInfo.InvariantCulture, out int realUid))
                {
                    found.Add(new RunningProgram(pid, comm, realUid));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // ended while we looked
            }
        }

        return found;
    }
}
