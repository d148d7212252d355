using System.Management.Automation;
using System.Net;
using IpoeRouter.Engine;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>
/// Changes the client (MAC or client id) or the host name of an existing reservation; parameters
/// not given keep their value. Never creates a reservation: that is Add-IpoeDhcpReservation.
/// </summary>
/// <example>
/// <code>Set-IpoeDhcpReservation -Scope enp2s0 -IPAddress 192.168.1.20 -MacAddress 00:00:5e:00:53:22</code>
/// <para>Gives the address 192.168.1.20 to a replacement device; the host name stays.</para>
/// </example>
/// <example>
/// <code>Set-IpoeDhcpReservation -Scope enp2s0 -IPAddress 192.168.1.20 -Clear HostName</code>
/// <para>Takes the host name off the reservation.</para>
/// </example>
[Cmdlet(VerbsCommon.Set, "IpoeDhcpReservation", SupportsShouldProcess = true)]
[OutputType(typeof(DhcpScope))]
public sealed class SetIpoeDhcpReservationCommand : DhcpReservationCmdlet
{
    /// <summary>The reserved address.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Address")]
    public IPAddress IPAddress { get; set; } = IPAddress.None;

    /// <summary>The client's new MAC address.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? MacAddress { get; set; }

    /// <summary>The client's new identifier (option 61) in hex bytes.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ClientId { get; set; }

    /// <summary>The new name DNS answers for the client.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? HostName { get; set; }

    /// <summary>Properties to take off the reservation: MacAddress, ClientId, HostName (one of MacAddress and ClientId stays).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Clear { get; set; }

    /// <inheritdoc/>
    protected override string[]? ClearNames => Clear;

    /// <inheritdoc/>
    protected override DhcpScope Edit(DhcpScope scope)
    {
        int at = RouterDocument.IndexOf(scope.Reservations, r => r.Address.Equals(IPAddress));
        if (at < 0)
        {
            throw NotFound(EngineErrorIds.DhcpReservationNotFound, $"reservation in scope {Scope} for", IPAddress.ToString());
        }

        DhcpReservation current = scope.Reservations[at];
        DhcpReservation next = current with
        {
            Mac = Pick(nameof(MacAddress), MacAddress is null ? null : ParseMac(MacAddress), current.Mac),
            ClientId = Pick(nameof(ClientId), ClientId is null ? null : ParseClientId(ClientId), current.ClientId),
            Hostname = Pick(nameof(HostName), HostName is null ? null : CheckHostName(HostName), current.Hostname),
        };
        if (next.Mac is null && next.ClientId is null)
        {
            throw Invalid(nameof(Clear), string.Join(", ", Clear ?? []), "a reservation keeps -MacAddress or -ClientId to know the client.");
        }

        RefuseTakenClient(scope, IPAddress, next.Mac, next.ClientId);
        return scope with { Reservations = scope.Reservations.SetItem(at, next) };
    }
}
