using System.Net;
using IpoeRouter.Model;
using IpoeRouter.Protocols.Wire;
using IpoeRouter.Services.Dhcp4Server;

namespace IpoeRouter.Engine.Runtime;

/// <summary>
/// The DHCPv4 server's view of a document's <see cref="DhcpScope"/>: the server answers from the
/// interface's static IPv4 address, hands out the scope's range and reservations, and names the
/// router and the DNS server itself unless the scope says otherwise (the router's address when the
/// DNS forwarder serves that interface).
/// </summary>
public static class Dhcp4Scopes
{
    /// <summary>
    /// The server configuration for <paramref name="scope"/>, or null when the scope hands out no IPv4
    /// address (no range and no reservation: it only sets the LAN's IPv6 mode). The document is valid,
    /// so the interface has a static IPv4 address and the range lies in its subnet.
    /// </summary>
    public static Dhcp4ScopeConfig? ToConfig(DhcpScope scope, RouterDocument document)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(document);
        if (scope.Range is null && scope.Reservations.Count == 0)
        {
            return null;
        }

        InterfaceAddress own = document.Interfaces.FirstOrDefault(i => i.Name == scope.Interface)?.Addresses
            .OfType<StaticAddress>().Select(a => a.Value).FirstOrDefault(a => a.IsIPv4)
            ?? throw new InvalidOperationException($"Scope '{scope.Name}' serves {scope.Interface}, which has no static IPv4 address.");
        bool forwarderHere = DnsForwarding.ServedInterfaces(document).Contains(scope.Interface);
        return new Dhcp4ScopeConfig(scope.Name, own.Address, own.Network)
        {
            Pool = scope.Range is { } r ? new Dhcp4AddressRange(r.First, r.Last) : null,
            LeaseTime = scope.LeaseTime ?? DhcpScope.DefaultLeaseTime,
            Router = scope.Router ?? own.Address,
            DnsServers = scope.DnsServers.Count > 0 ? [.. scope.DnsServers] : forwarderHere ? [own.Address] : [],
            NtpServers = [.. scope.NtpServers],
            DomainName = scope.Domain,
            SearchList = [.. scope.SearchList],
            Reservations = [.. scope.Reservations.Select(Reservation)],
        };
    }

    private static Dhcp4Reservation Reservation(DhcpReservation r) => new(r.Address)
    {
        Mac = r.Mac is { } mac ? Hex(mac) : null,
        ClientId = r.ClientId is { } id ? Hex(id) : null,
        HostName = r.Hostname,
    };

    /// <summary>Bytes of <c>aa:bb:cc</c> (the model keeps MACs and client ids as colon-separated hex).</summary>
    private static ByteString Hex(string text) => new(Convert.FromHexString(text.Replace(":", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal)));
}
