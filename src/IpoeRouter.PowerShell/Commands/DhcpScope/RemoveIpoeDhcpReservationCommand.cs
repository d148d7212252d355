using System.Management.Automation;
using System.Net;
using IpoeRouter.Commands.Completion;
using IpoeRouter.Engine;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>Removes the reservation of an address from a DHCP scope.</summary>
[Cmdlet(VerbsCommon.Remove, "IpoeDhcpReservation", SupportsShouldProcess = true)]
[OutputType(typeof(DhcpScope))]
public sealed class RemoveIpoeDhcpReservationCommand : SetResourceCmdlet<DhcpScope>
{
    /// <summary>The scope's name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    public string Scope { get; set; } = string.Empty;

    /// <summary>The reserved address.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Address")]
    public IPAddress IPAddress { get; set; } = IPAddress.None;

    /// <inheritdoc/>
    protected override string Key => Scope;

    /// <inheritdoc/>
    protected override string What => "DHCP scope";

    /// <inheritdoc/>
    protected override bool CreatesDocument => false;

    /// <inheritdoc/>
    protected override DhcpScope? Find(RouterDocument document, string key) => document.DhcpScopes.FirstOrDefault(s => s.Name == key);

    /// <inheritdoc/>
    protected override RouterDocument With(RouterDocument document, DhcpScope item) => document.WithDhcpScope(item);

    /// <inheritdoc/>
    protected override DhcpScope Build(DhcpScope? existing, RouterDocument document)
    {
        DhcpScope scope = existing ?? throw NotFound(EngineErrorIds.DhcpScopeNotFound, What, Scope);
        return scope.Reservations.Any(r => r.Address.Equals(IPAddress))
            ? scope with { Reservations = scope.Reservations.RemoveAll(r => r.Address.Equals(IPAddress)) }
            : throw NotFound(EngineErrorIds.DhcpReservationNotFound, $"reservation in scope {Scope} for", IPAddress.ToString());
    }
}
