using System.Net;

namespace IpoeRouter.Services.Dhcp4Server;

/// <summary>
/// The leases of one scope, by address and by client. It holds at most one lease per address and
/// at most one per client key: <see cref="Upsert"/> replaces the record of the same address (and
/// whatever client it named); moving a client to another address is a <see cref="Remove"/> of its
/// old record first. It holds what is persisted: bound, released, expired and declined addresses;
/// offers on hold live in <see cref="ScopeServer"/> only.
/// </summary>
public interface ILeaseTable
{
    /// <summary>Every lease, in no particular order (a snapshot: the table may change while it is read).</summary>
    IReadOnlyCollection<Dhcp4Lease> All { get; }

    /// <summary>The lease that names <paramref name="client"/>, or null.</summary>
    Dhcp4Lease? FindByClient(Dhcp4ClientKey client);

    /// <summary>The lease of <paramref name="address"/>, or null.</summary>
    Dhcp4Lease? FindByAddress(IPAddress address);

    /// <summary>
    /// Stores <paramref name="lease"/> as the record of its address, replacing the one there. Throws
    /// <see cref="InvalidOperationException"/> when its client already holds another address.
    /// </summary>
    void Upsert(Dhcp4Lease lease);

    /// <summary>Deletes the record of <paramref name="address"/>; nothing happens when there is none.</summary>
    void Remove(IPAddress address);
}
