using System.Net.Sockets;
using IpoeRouter.Control;
using IpoeRouter.Engine;
using IpoeRouter.Engine.Documents;
using IpoeRouter.Engine.Kernel;
using IpoeRouter.Engine.Loop;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Linux.Rtnl;
using IpoeRouter.Model;
using IpoeRouter.Protocols.Wire;
using IpoeRouter.Services.Dhcp6InfoServer;
using IpoeRouter.Services.DnsForwarder;
using IpoeRouter.Services.Dhcp6PdClient;
using IpoeRouter.Services.RaSender;
using Wan4Client = IpoeRouter.Services.Dhcp4Client.Dhcp4Client;
using Wan4Lease = IpoeRouter.Services.Dhcp4Client.Dhcp4Lease;

namespace IpoeRouter.Agent.Hosting;

internal sealed partial class RouterHost
{
    /// <summary>The file a WAN interface's DHCPv4 lease is kept in.</summary>
    public string Wan4LeaseFile(string iface) => Path.Combine(_options.StateDirectory, $"dhcp4-client-{iface}.json");

    private IEnumerable<Interface> Wan4Interfaces() => _effective.Interfaces.Where(i => i.Dhcp4 == true);

    private Wan4Lease? CurrentWan4Lease(string iface)
    {
        lock (_gate)
        {
            return _wan4.GetValueOrDefault(iface);
        }
    }

    private Wan4Lease? LoadWan4Lease(string iface)
    {
        string file = Wan4LeaseFile(iface);
        if (!File.Exists(file))
        {
            return null;
        }

        try
        {
            // Kept even when it ran out: the client asks for the same address again (INIT-REBOOT only while it is valid).
            return Services.Dhcp4Client.Dhcp4ClientLeaseFile.Deserialize(File.ReadAllBytes(file), file);
        }
        catch (Services.Dhcp4Client.Dhcp4LeaseFileException e)
        {
            string aside = file + ".unreadable";
            File.Move(file, aside, overwrite: true);
            Log($"dhcp4-client:{iface}: {e.Message}; moved it to {aside} and starting without a saved lease");
            return null;
        }
    }

    /// <summary>A fresh DHCPv4 client for a WAN interface (also when a failed one is restarted: it confirms the lease it held).</summary>
    private Services.Dhcp4Client.Dhcp4ClientHost NewWan4Host(string iface, byte[] mac, Services.Dhcp4Client.Dhcp4ClientSockets transport)
    {
        var client = new Wan4Client(new Services.Dhcp4Client.Dhcp4ClientConfig(new ByteString(mac)), Random.Shared.NextDouble,
            () => (uint)Random.Shared.NextInt64(uint.MaxValue + 1L)); // RFC 2131 §4.4.1: a random xid
        lock (_gate)
        {
            _wan4Clients[iface] = client;
        }

        return new Services.Dhcp4Client.Dhcp4ClientHost(client, transport, _options.Time, changed => OnWan4LeaseChanged(iface, changed), line => Log($"dhcp4-client:{iface}: {line}"))
        {
            ReleaseOnStop = _options.ReleaseOnStop,
        };
    }

    /// <summary>
    /// A WAN DHCPv4 lease changed: kept (file), then applied before the client goes on — the address
    /// with the lease's time as its lifetimes (RENEWING unicasts from it), the DNS servers to the forwarder.
    /// </summary>
    private async ValueTask OnWan4LeaseChanged(string iface, Services.Dhcp4Client.Dhcp4LeaseChanged changed)
    {
        lock (_gate)
        {
            _wan4[iface] = changed.Lease;
        }

        string file = Wan4LeaseFile(iface);
        try
        {
            if (changed.Lease is { } lease)
            {
                AtomicFile.WritePrivate(file, Services.Dhcp4Client.Dhcp4ClientLeaseFile.Serialize(lease));
            }
            else
            {
                File.Delete(file);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log($"dhcp4-client:{iface}: the lease could not be saved to {file} ({e.Message}); it is in use but would not survive a restart");
        }

        Wan4Lease? l = changed.Lease;
        Log(l is null
            ? $"dhcp4-client:{iface}: no lease ({changed.Reason}){(changed.Previous is { } p ? $"; {p.Address}/{p.PrefixLength} goes" : string.Empty)}"
            : $"dhcp4-client:{iface}: {changed.Reason}: {l.Address}/{l.PrefixLength} from {l.ServerId}, lease {Seconds(l.LeaseTime)} s, renew in {Seconds(l.T1)} s, DNS {(l.DnsServers.Count == 0 ? "none" : string.Join(", ", l.DnsServers))}");
        await ReconcileNowAsync(new Cause(CauseKind.Lease, $"dhcp4-client:{iface}: {changed.Reason}", _options.Time.GetUtcNow())).ConfigureAwait(false);
    }
}
