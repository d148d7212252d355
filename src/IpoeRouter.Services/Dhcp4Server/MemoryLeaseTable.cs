using System.Net;

namespace IpoeRouter.Services.Dhcp4Server;

/// <summary>
/// An <see cref="ILeaseTable"/> in memory: two dictionaries, by address and by client key. It
/// forgets everything when the process ends; the durable store (leases written atomically, so an
/// ACK goes out only once its lease is on disk) comes later and will load into or replace it. Not
/// thread-safe: one scope's server and its table are used from one loop.
/// </summary>
public sealed class MemoryLeaseTable : ILeaseTable
{
    private readonly Dictionary<IPAddress, Dhcp4Lease> _byAddress = [];
    private readonly Dictionary<Dhcp4ClientKey, IPAddress> _byClient = [];

    /// <summary>An empty table.</summary>
    public MemoryLeaseTable()
    {
    }

    /// <summary>A table holding <paramref name="leases"/> (for example, those read back after a restart).</summary>
    public MemoryLeaseTable(IEnumerable<Dhcp4Lease> leases)
    {
        ArgumentNullException.ThrowIfNull(leases);
        foreach (Dhcp4Lease lease in leases)
        {
            Upsert(lease);
        }
    }

    /// <inheritdoc/>
    public IReadOnlyCollection<Dhcp4Lease> All => [.. _byAddress.Values];

    /// <inheritdoc/>
    public Dhcp4Lease? FindByClient(Dhcp4ClientKey client) =>
        _byClient.TryGetValue(client, out IPAddress? address) ? _byAddress[address] : null;

    /// <inheritdoc/>
    public Dhcp4Lease? FindByAddress(IPAddress address) => _byAddress.GetValueOrDefault(address);

    /// <inheritdoc/>
    public void Upsert(Dhcp4Lease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (lease.ClientKey is { } key && _byClient.TryGetValue(key, out IPAddress? held) && !held.Equals(lease.Address))
        {
            throw new InvalidOperationException($"Client {key} already holds {held}; remove that lease before giving it {lease.Address}.");
        }

        Remove(lease.Address);
        _byAddress[lease.Address] = lease;
        if (lease.ClientKey is { } k)
        {
            _byClient[k] = lease.Address;
        }
    }

    /// <inheritdoc/>
    public void Remove(IPAddress address)
    {
        if (_byAddress.Remove(address, out Dhcp4Lease? old) && old.ClientKey is { } key)
        {
            _byClient.Remove(key);
        }
    }
}
