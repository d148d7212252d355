using System.Net;
using IpoeRouter.Protocols.Icmp6;

namespace IpoeRouter.Engine.Runtime;

/// <summary>
/// The DNS servers the WAN's Router Advertisements name (RDNSS, RFC 8106), each until its lifetime
/// runs out: a later RA's lifetime replaces the earlier one, 0 removes the server at once (§5.1),
/// 0xffffffff keeps it for good. A link-local server keeps the interface it was heard on as its
/// scope, so the forwarder can reach it. Thread-safe.
/// </summary>
public sealed class RdnssTable
{
    /// <summary>The most servers kept: whoever else on the WAN link sends RAs cannot grow the upstream list without bound.</summary>
    public const int MaxServers = 3;

    private readonly object _lock = new();
    private readonly List<(IPAddress Server, DateTimeOffset Until)> _servers = []; // in the order first heard

    /// <summary>
    /// Takes the RDNSS options of one RA heard on interface <paramref name="interfaceIndex"/> at
    /// <paramref name="now"/>; true when the servers in use changed (added, removed or reordered).
    /// </summary>
    public bool Apply(int interfaceIndex, IReadOnlyList<NdOption> options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        lock (_lock)
        {
            IReadOnlyList<IPAddress> before = CurrentLocked(now);
            foreach (RdnssOption rdnss in options.OfType<RdnssOption>())
            {
                foreach (IPAddress server in rdnss.Servers)
                {
                    IPAddress key = server.IsIPv6LinkLocal ? new IPAddress(server.GetAddressBytes(), interfaceIndex) : server;
                    int at = _servers.FindIndex(s => s.Server.Equals(key));
                    DateTimeOffset until = rdnss.Lifetime == uint.MaxValue ? DateTimeOffset.MaxValue : now.AddSeconds(rdnss.Lifetime);
                    if (rdnss.Lifetime == 0)
                    {
                        if (at >= 0)
                        {
                            _servers.RemoveAt(at);
                        }
                    }
                    else if (at >= 0)
                    {
                        _servers[at] = (key, until);
                    }
                    else
                    {
                        _servers.RemoveAll(s => s.Until <= now);
                        if (_servers.Count >= MaxServers)
                        {
                            // Full (RFC 8106 §5.3.1): the new one replaces the server expiring soonest, if it lasts longer.
                            int soonest = _servers.IndexOf(_servers.MinBy(s => s.Until));
                            if (_servers[soonest].Until >= until)
                            {
                                continue;
                            }

                            _servers.RemoveAt(soonest);
                        }

                        _servers.Add((key, until));
                    }
                }
            }

            return !before.SequenceEqual(CurrentLocked(now));
        }
    }

    /// <summary>The servers whose lifetime has not run out at <paramref name="now"/>, in the order first heard.</summary>
    public IReadOnlyList<IPAddress> Current(DateTimeOffset now)
    {
        lock (_lock)
        {
            return CurrentLocked(now);
        }
    }

    private List<IPAddress> CurrentLocked(DateTimeOffset now)
    {
        _servers.RemoveAll(s => s.Until <= now);
        return [.. _servers.Select(s => s.Server)];
    }
}
