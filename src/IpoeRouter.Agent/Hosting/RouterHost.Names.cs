using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using IpoeRouter.Engine;
using IpoeRouter.Engine.Planning;
using IpoeRouter.Engine.Runtime;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Linux.Rtnl;

namespace IpoeRouter.Agent.Hosting;

internal sealed partial class RouterHost
{
    /// <summary>How long after its last confirmation a STALE neighbour entry still counts as the host's address.</summary>
    private static readonly TimeSpan StaleNeighborLimit = TimeSpan.FromMinutes(15);

    /// <summary>A burst of neighbour changes (a host's several addresses resolving) is read as one table dump this long after its first event.</summary>
    private static readonly TimeSpan NeighborSettle = TimeSpan.FromSeconds(1);

    /// <summary>Set when the names' IPv6 addresses may be out of date: a neighbour changed on a served LAN, or a LAN's /64 did.</summary>
    private readonly Channel<bool> _namesStale = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>The served LANs' (link, /64) the names were last read for; a pass that changes them asks for a new read.</summary>
    private string _namesScope = "";

    /// <summary>
    /// Gives the DHCPv4 clients' names the IPv6 addresses their MACs hold in the served LANs' current
    /// /64s, as the neighbour table shows them (AAAA where known: SLAAC leaves no lease to read). The
    /// table is read at start, then again only when it changes on a served LAN or a /64 changes —
    /// nothing is read while the LAN is quiet.
    /// </summary>
    private async Task RefreshIPv6NamesAsync(NeighborOps neighbors, CancellationToken stop)
    {
        string? lastError = null;
        while (true)
        {
            List<(int Index, IPNetwork Prefix)> current = NamesScope(out string scope);
            lock (_gate)
            {
                _namesScope = scope;
            }

            IReadOnlyList<NeighborInfo>? entries = null;
            try
            {
                entries = neighbors.Dump(AddressFamily.InterNetworkV6);
                lastError = null;
            }
            catch (Exception e) when (Applier.IsKernelFailure(e))
            {
                if (lastError != e.Message)
                {
                    Log($"dns: cannot read the neighbour table ({e.Message}); AAAA records stay as they were");
                }

                lastError = e.Message;
                _namesStale.Writer.TryWrite(true); // read again after the settle time
            }

            if (entries is not null)
            {
                // A host's current addresses: confirmed lately (privacy addresses it dropped linger as STALE
                // entries for as long as the table is small), at most 8 per host, the freshest first.
                _leaseNames!.SetIPv6FromNeighbors(entries
                    .Where(n => n.IsResolved && current.Any(c => c.Index == n.Index && c.Prefix.Contains(n.Address))
                        && (!n.IsStale || n.ConfirmedAgo is { } ago && ago < StaleNeighborLimit))
                    .GroupBy(n => Convert.ToHexString(n.HardwareAddress), StringComparer.Ordinal)
                    .SelectMany(host => host.OrderBy(n => n.ConfirmedAgo ?? TimeSpan.MaxValue).Take(8))
                    .Select(n => (n.Address, n.HardwareAddress)));
            }

            await _namesStale.Reader.ReadAsync(stop).ConfigureAwait(false);
            await Task.Delay(NeighborSettle, _options.Time, stop).ConfigureAwait(false);
            _namesStale.Reader.TryRead(out _); // what came during the settle time is in the dump below
        }
    }

    /// <summary>
    /// Blocks its thread on neighbour events and marks the names stale when an IPv6 entry of a
    /// served LAN changes (or events were lost); the stop ends the receive at once.
    /// </summary>
    private void ListenForNeighbors(NeighborEventListener listener, CancellationToken stop)
    {
        using CancellationTokenRegistration ending = stop.Register(listener.Stop);
        while (!stop.IsCancellationRequested)
        {
            IReadOnlyList<NeighborInfo?> changed = listener.Receive();
            if (changed.Count == 0)
            {
                continue;
            }

            List<(int Index, IPNetwork Prefix)> current = NamesScope(out _);
            if (changed.Any(n => n is null || n.Address.AddressFamily == AddressFamily.InterNetworkV6 && current.Any(c => c.Index == n.Index)))
            {
                _namesStale.Writer.TryWrite(true);
            }
        }
    }

    /// <summary>After a pass: a served LAN's /64 or link changed since the names were read → read again.</summary>
    private void NamesAfterPass()
    {
        if (_leaseNames is null)
        {
            return;
        }

        NamesScope(out string scope);
        bool changed;
        lock (_gate)
        {
            changed = scope != _namesScope;
        }

        if (changed)
        {
            _namesStale.Writer.TryWrite(true);
        }
    }

    /// <summary>The served LANs with a router address: their link index and current /64, and the same as text to compare.</summary>
    private List<(int Index, IPNetwork Prefix)> NamesScope(out string scope)
    {
        IReadOnlySet<string> served = DnsForwarding.ServedInterfaces(_effective);
        List<(int Index, IPNetwork Prefix)> current;
        lock (_gate)
        {
            current = _lans.Where(l => served.Contains(l.Interface) && l.RouterAddress is not null && _lastObserved?.Link(l.Interface) is not null)
                .Select(l => (_lastObserved!.Link(l.Interface)!.Index, new IPNetwork(l.Prefixes.First(p => p.WithdrawnAt is null).Prefix, 64))).ToList();
        }

        scope = string.Join(",", current.Select(c => $"{c.Index}/{c.Prefix}"));
        return current;
    }
}
