using System.Management.Automation;
using System.Net;
using IpoeRouter.Engine;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>Reserves a fixed IPv4 address for one client (by MAC or client id) in a DHCP scope; a reservation for the same address is replaced.</summary>
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

        string? mac = null;
        if (MacAddress is not null && !ValueText.TryParseMac(MacAddress, out mac))
        {
            throw Invalid(nameof(MacAddress), MacAddress, "a MAC address such as 00:0d:b9:12:34:56.");
        }

        string? clientId = null;
        if (ClientId is not null && !ValueText.TryParseClientId(ClientId, out clientId))
        {
            throw Invalid(nameof(ClientId), ClientId, "a client identifier in hex bytes such as 01:00:0d:b9:12:34:56.");
        }

        if (HostName is not null && !Names.IsValidDomainName(HostName))
        {
            throw Invalid(nameof(HostName), HostName, "a host name such as nas.");
        }

        var reservation = new DhcpReservation(IPAddress) { Mac = mac, ClientId = clientId, Hostname = HostName };
        int at = RouterDocument.IndexOf(scope.Reservations, r => r.Address.Equals(IPAddress));
        return scope with { Reservations = at >= 0 ? scope.Reservations.SetItem(at, reservation) : scope.Reservations.Add(reservation) };
    }
}
