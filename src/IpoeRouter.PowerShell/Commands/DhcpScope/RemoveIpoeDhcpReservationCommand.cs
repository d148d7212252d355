using System.Management.Automation;
using System.Net;
using IpoeRouter.Engine;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>Removes the reservation of an address from a DHCP scope.</summary>
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
