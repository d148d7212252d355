using System.Net.Sockets;
using IpoeRouter.Control;
using IpoeRouter.Engine;
using IpoeRouter.Engine.Runtime;
using IpoeRouter.Engine.Kernel;
using IpoeRouter.Engine.Planning;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Linux.Rtnl;
using IpoeRouter.Model;
using IpoeRouter.Protocols.Wire;
using IpoeRouter.Services.Dhcp4Server;
using IpoeRouter.Services.DnsForwarder;
using IpoeRouter.Services.Dhcp6PdClient;
using IpoeRouter.Services.RaSender;
using Wan4Client = IpoeRouter.Services.Dhcp4Client.Dhcp4Client;
using Wan4Lease = IpoeRouter.Services.Dhcp4Client.Dhcp4Lease;

namespace IpoeRouter.Agent.Hosting;

internal sealed partial class RouterHost
{
    /// <summary>The file a LAN's DHCPv4 leases are kept in.</summary>
    public string Dhcp4LeaseFile(string iface) => Path.Combine(_options.StateDirectory, $"dhcp4-{iface}.leases");

    /// <summary>
    /// Opens the DHCPv4 server of each scope that hands out addresses: its lease journal, then its socket.
    /// A damaged journal leaves that LAN without DHCPv4 (status Failed, the file untouched for a person to
    /// mend) rather than handing its addresses out again; every other service starts.
    /// </summary>
    private void OpenDhcp4Servers(KernelSnapshot k, List<IDisposable> disposables)
    {
        foreach (DhcpScope scope in _effective.DhcpScopes)
        {
            if (Dhcp4Scopes.ToConfig(scope, _effective) is not { } config)
            {
                continue;
            }

            LinkInfo link = k.Link(scope.Interface) ?? throw new IpoeException(EngineErrorIds.InterfaceNotFound, ErrorKind.ObjectNotFound,
                $"The LAN interface {scope.Interface} (DHCP scope {scope.Name}) does not exist.", scope.Interface);
            LeaseJournal journal;
            try
            {
                journal = LeaseJournal.Open(Dhcp4LeaseFile(scope.Interface));
            }
            catch (LeaseJournalException e)
            {
                _supervisor.Set($"dhcp4-server:{scope.Interface}", "Failed", e.Message);
                Log($"dhcp4-server:{scope.Interface}: {e.Message}; not serving DHCPv4 on {scope.Interface} until the file is mended (nothing was changed in it)");
                continue;
            }

            disposables.Add(journal); // after the host below: disposables are disposed in order, the socket first
            NetlinkSocket neighborSocket = _options.Namespace.OpenSocket();
            disposables.Add(neighborSocket);
            var neighbors = new NeighborOps(neighborSocket);
            var server = new ScopeServer(config, journal.Table);
            Dhcp4ServerHost host = _options.Namespace.Run(() => Dhcp4ServerHost.Open(link.Name, server, journal, (address, mac) =>
            {
                lock (neighborSocket)
                {
                    neighbors.Replace(link.Index, address, mac.Span);
                }
            }, Log));
            disposables.Insert(disposables.IndexOf(journal), host);
            if (_leaseNames is { } names && DnsForwarding.ServedInterfaces(_effective).Contains(scope.Interface))
            {
                names.Load(host.Leases(), _options.Time.GetUtcNow());
                host.LeasesChanged = names.Apply;
            }

            Log($"dhcp4-server:{scope.Interface}: serving {config.Pool?.ToString() ?? "reservations only"} from {config.ServerAddress}, {journal.Table.All.Count} lease(s) read from {journal.Path}");
            lock (_gate)
            {
                _dhcp4.Add(host);
            }
        }
    }
}
