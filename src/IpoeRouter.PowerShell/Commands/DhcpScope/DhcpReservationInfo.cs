using System.Net;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>
/// One reservation as Get-IpoeDhcpReservation outputs it: with its scope and interface, and with
/// property names that bind to the parameters of Set- and Remove-IpoeDhcpReservation.
/// </summary>
public sealed record DhcpReservationInfo(string Scope, string Interface, IPAddress IPAddress)
{
    /// <summary>The client's MAC, lower-case colon form.</summary>
    public string? MacAddress { get; init; }

    /// <summary>The client identifier (option 61) as hex bytes.</summary>
    public string? ClientId { get; init; }

    /// <summary>The name the DNS forwarder answers for the client.</summary>
    public string? HostName { get; init; }

    /// <summary>The reservation of <paramref name="reservation"/> in <paramref name="scope"/>.</summary>
    public static DhcpReservationInfo From(DhcpScope scope, DhcpReservation reservation) =>
        new(scope.Name, scope.Interface, reservation.Address)
        {
            MacAddress = reservation.Mac,
            ClientId = reservation.ClientId,
            HostName = reservation.Hostname,
        };
}
