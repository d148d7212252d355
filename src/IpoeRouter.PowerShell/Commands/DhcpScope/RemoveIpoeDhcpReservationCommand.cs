using System.Management.Automation;
using System.Net;
using IpoeRouter.Engine;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>Removes the reservation of an address from a DHCP scope.</summary>
/// <example>
/// <code>Remove-IpoeDhcpReservation -Scope enp2s0 -IPAddress 192.168.1.20</code>
/// <para>Frees the reserved address 192.168.1.20 of the scope enp2s0.</para>
/// </example>
/// <example>
/// <code>Get-IpoeDhcpReservation -MacAddress 00:00:5e:00:53:20 | Remove-IpoeDhcpReservation</code>
/// <para>Removes the reservations of one client, in whichever scope they are.</para>
/// </example>
[Cmdlet(VerbsCommon.Remove, "IpoeDhcpReservation", SupportsShouldProcess = true)]
[OutputType(typeof(DhcpScope))]
public sealed class RemoveIpoeDhcpReservationCommand : DhcpReservationCmdlet
{
    /// <summary>The reserved address.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Address")]
    public IPAddress IPAddress { get; set; } = IPAddress.None;

    /// <inheritdoc/>
    protected override DhcpScope Edit(DhcpScope scope)
    {
        return scope.Reservations.Any(r => r.Address.Equals(IPAddress))
            ? scope with { Reservations = scope.Reservations.RemoveAll(r => r.Address.Equals(IPAddress)) }
            : throw NotFound(EngineErrorIds.DhcpReservationNotFound, $"reservation in scope {Scope} for", IPAddress.ToString());
    }
}
