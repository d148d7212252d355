using System.Management.Automation;
using System.Net;
using IpoeRouter.Engine;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>
/// Reserves a fixed IPv4 address for one client (by MAC or client id) in a DHCP scope. Refuses an
/// address or a client that has a reservation in the scope already; change one with
/// Set-IpoeDhcpReservation.
/// </summary>
/// <example>
/// <code>Add-IpoeDhcpReservation -Scope enp2s0 -IPAddress 192.168.1.21 -MacAddress 00:00:5e:00:53:21 -HostName printer</code>
/// <para>Gives the client with that MAC address 192.168.1.21 on the LAN enp2s0, and the name printer in the DNS forwarder.</para>
/// </example>
[Cmdlet(VerbsCommon.Add, "IpoeDhcpReservation", SupportsShouldProcess = true)]
[OutputType(typeof(DhcpScope))]
public sealed class AddIpoeDhcpReservationCommand : DhcpReservationCmdlet
{
    /// <summary>The address to reserve.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    public IPAddress IPAddress { get; set; } = IPAddress.None;

    /// <summary>The client's MAC address.</summary>
    [Parameter]
    public string? MacAddress { get; set; }

    /// <summary>The client identifier (option 61) in hex bytes.</summary>
    [Parameter]
    public string? ClientId { get; set; }

    /// <summary>The name DNS answers for the client.</summary>
    [Parameter]
    public string? HostName { get; set; }

    /// <inheritdoc/>
    protected override DhcpScope Edit(DhcpScope scope)
    {
        if (MacAddress is null && ClientId is null)
        {
            throw Invalid(nameof(MacAddress), string.Empty, "a reservation needs -MacAddress or -ClientId to know the client.");
        }

        string? mac = MacAddress is null ? null : ParseMac(MacAddress);
        string? clientId = ClientId is null ? null : ParseClientId(ClientId);
        string? hostName = HostName is null ? null : CheckHostName(HostName);
        if (scope.Reservations.FirstOrDefault(r => r.Address.Equals(IPAddress)) is { } held)
        {
            throw new IpoeException(EngineErrorIds.DhcpReservationExists, ErrorKind.ResourceExists,
                $"{IPAddress} is reserved in scope {scope.Name} already (for {held.Mac ?? held.ClientId}); change it with Set-IpoeDhcpReservation or remove it first.",
                IPAddress.ToString());
        }

        RefuseTakenClient(scope, IPAddress, mac, clientId);
        var reservation = new DhcpReservation(IPAddress) { Mac = mac, ClientId = clientId, Hostname = hostName };
        return scope with { Reservations = scope.Reservations.Add(reservation) };
    }
}
