using System.Net.Sockets;
using IpoeRouter.Control;
using IpoeRouter.Engine;
using IpoeRouter.Engine.Documents;
using IpoeRouter.Engine.Kernel;
using IpoeRouter.Engine.Loop;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Linux.Rtnl;
using IpoeRouter.Model;
using IpoeRouter.Protocols.Dhcp6;
using IpoeRouter.Services.Dhcp4Server;
using IpoeRouter.Services.Dhcp6InfoServer;
using IpoeRouter.Services.DnsForwarder;
using IpoeRouter.Services.Dhcp6PdClient;
using Wan4Client = IpoeRouter.Services.Dhcp4Client.Dhcp4Client;
using Wan4Lease = IpoeRouter.Services.Dhcp4Client.Dhcp4Lease;

namespace IpoeRouter.Agent.Hosting;

internal sealed partial class RouterHost
{
    /// <summary>The file a delegation's DUID and lease are kept in.</summary>
    public string LeaseFile(string delegation) => Path.Combine(_options.StateDirectory, $"pd-{delegation}.json");

    private PdLease? CurrentLease(string delegation)
    {
        lock (_gate)
        {
            return _records.GetValueOrDefault(delegation)?.Lease;
        }
    }

    private UdpDhcp6ClientTransport OpenPdTransport(PrefixDelegation pd, KernelSnapshot k, List<IDisposable> disposables)
    {
        LinkInfo wan = k.Link(pd.Interface) ?? throw new IpoeException(EngineErrorIds.InterfaceNotFound, ErrorKind.ObjectNotFound,
            $"The WAN interface {pd.Interface} of delegation {pd.Name} does not exist.", pd.Interface);
        UdpDhcp6ClientTransport transport = _options.Namespace.Run(() => UdpDhcp6ClientTransport.Open(wan.Name, wan.Index));
        disposables.Add(transport);
        lock (_gate)
        {
            _records[pd.Name] ??= new PdClientRecord(PdClientIdentity.NewDuid(wan.HardwareAddressBytes(), pd.Duid is DuidType.Llt, _options.Time.GetUtcNow()), null);
        }

        if (pd.Duid is DuidType.En)
        {
            Log($"pd:{pd.Name}: DUID-EN needs an enterprise number the document cannot give yet; using DUID-LL");
        }

        return transport;
    }

    /// <summary>A fresh client and host for <paramref name="pd"/> (also when a failed one is restarted: it Rebinds the lease it held).</summary>
    private PdClientHost NewPdHost(PrefixDelegation pd, UdpDhcp6ClientTransport transport)
    {
        Duid clientId;
        lock (_gate)
        {
            clientId = _records[pd.Name]!.ClientId;
        }

        var client = new PdClient(new PdClientConfig(clientId, PdClientIdentity.Iaid(pd.Name), (byte)(pd.PrefixLength ?? 0)), Random.Shared.NextDouble,
            () => Random.Shared.Next(0x1000000)); // RFC 8415 §16.1: transaction ids a third party cannot predict
        lock (_gate)
        {
            _clients[pd.Name] = client;
        }

        return new PdClientHost(client, transport, _options.Time, changed => OnLeaseChanged(pd, changed), line => Log($"pd:{pd.Name}: {line}"))
        {
            ReleaseOnStop = _options.ReleaseOnStop,
        };
    }

    private ValueTask OnLeaseChanged(PrefixDelegation pd, PdLeaseChanged changed)
    {
        PdClientRecord record;
        PdLease? previous;
        lock (_gate)
        {
            previous = _records[pd.Name]?.Lease;
            record = (_records[pd.Name] ?? throw new InvalidOperationException("a lease for a client never opened")) with { Lease = changed.Lease };
            _records[pd.Name] = record;
            if (changed.Lease is null || changed.Lease.Prefixes.Count == 0)
            {
                _lost.Add(pd.Name);
            }
            else
            {
                _lost.Remove(pd.Name);
            }
        }

        try
        {
            AtomicFile.WritePrivate(LeaseFile(pd.Name), PdLeaseFile.Serialize(record));
        }
        catch (IOException e)
        {
            Log($"pd:{pd.Name}: the lease could not be saved to {LeaseFile(pd.Name)} ({e.Message}); it is in use but would not survive a restart");
        }
        catch (UnauthorizedAccessException e)
        {
            Log($"pd:{pd.Name}: the lease could not be saved to {LeaseFile(pd.Name)} ({e.Message}); it is in use but would not survive a restart");
        }

        bool renewed = changed.Withdrawn.Count == 0 && changed.Lease is not null && previous is not null
            && previous.Prefixes.Select(p => p.ToString()).SequenceEqual(changed.Lease.Prefixes.Select(p => p.ToString()));
        string now = changed.Lease is null ? "no prefix" : string.Join(", ", changed.Lease.Prefixes.Select(p => $"{p} (preferred {Seconds(p.Preferred)} s, valid {Seconds(p.Valid)} s)"));
        string gone = changed.Withdrawn.Count == 0 ? string.Empty : "; withdrawn: " + string.Join(", ", changed.Withdrawn);
        Log($"pd:{pd.Name}: {(renewed ? "kept" : "delegated")} {now}{gone}");
        _loop?.Post(new Cause(CauseKind.Lease, $"delegation {pd.Name}: {(renewed ? "renewed" : now)}", _options.Time.GetUtcNow()));
        return ValueTask.CompletedTask;
    }

    private PdClientRecord? LoadRecord(PrefixDelegation pd)
    {
        string file = LeaseFile(pd.Name);
        if (!File.Exists(file))
        {
            return null;
        }

        try
        {
            PdClientRecord record = PdLeaseFile.Deserialize(File.ReadAllBytes(file), file);
            if (record.Lease is { } lease && lease.ValidUntil <= _options.Time.GetUtcNow())
            {
                // Kept: the client reports it gone (so what was made from it is removed) and asks for it again as a hint.
                Log($"pd:{pd.Name}: the saved lease ({string.Join(", ", lease.Prefixes)}) expired at {lease.ValidUntil:u}; soliciting anew with the same DUID");
            }

            return record;
        }
        catch (PdLeaseFileException e)
        {
            // Keep the unreadable file for a person to look at; start without it rather than not at all.
            string aside = file + ".unreadable";
            File.Move(file, aside, overwrite: true);
            Log($"pd:{pd.Name}: {e.Message}; moved it to {aside} and starting without a saved lease");
            return null;
        }
    }
}
