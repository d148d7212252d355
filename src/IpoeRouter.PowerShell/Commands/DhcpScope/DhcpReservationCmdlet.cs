using System.Management.Automation;
using System.Net;
using IpoeRouter.Commands.Completion;
using IpoeRouter.Engine;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>The base of the cmdlets that edit one scope's reservations: the scope must exist already.</summary>
public abstract class DhcpReservationCmdlet : SetResourceCmdlet<DhcpScope>
{
    /// <summary>The scope's name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    public string Scope { get; set; } = string.Empty;

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
    protected override DhcpScope Build(DhcpScope? existing, RouterDocument document) =>
        Edit(existing ?? throw NotFound(EngineErrorIds.DhcpScopeNotFound, What, Scope));

    /// <summary>The scope with its reservations changed.</summary>
    protected abstract DhcpScope Edit(DhcpScope scope);

    /// <summary>The MAC address in canonical form, or an <c>InvalidParameter</c> error.</summary>
    protected string ParseMac(string text) =>
        ValueText.TryParseMac(text, out string? mac) ? mac : throw Invalid("MacAddress", text, "a MAC address such as 00:0d:b9:12:34:56.");

    /// <summary>The client identifier in canonical form, or an <c>InvalidParameter</c> error.</summary>
    protected string ParseClientId(string text) =>
        ValueText.TryParseClientId(text, out string? id) ? id : throw Invalid("ClientId", text, "a client identifier in hex bytes such as 01:00:0d:b9:12:34:56.");

    /// <summary>The host name when it is a valid one, or an <c>InvalidParameter</c> error.</summary>
    protected string CheckHostName(string text) =>
        Names.IsValidDomainName(text) ? text : throw Invalid("HostName", text, "a host name such as nas.");

    /// <summary>
    /// Refuses, with <c>DhcpReservationExists</c>, a client (MAC or client id) that another
    /// reservation of the scope than the one for <paramref name="address"/> has already.
    /// </summary>
    protected void RefuseTakenClient(DhcpScope scope, IPAddress address, string? mac, string? clientId)
    {
        foreach (DhcpReservation other in scope.Reservations.Where(r => !r.Address.Equals(address)))
        {
            string? taken = mac is not null && other.Mac == mac ? mac
                : clientId is not null && other.ClientId == clientId ? clientId
                : null;
            if (taken is not null)
            {
                throw new IpoeException(EngineErrorIds.DhcpReservationExists, ErrorKind.ResourceExists,
                    $"The client {taken} has a reservation in scope {scope.Name} already, for {other.Address}; change or remove that one first.", taken);
            }
        }
    }
}
