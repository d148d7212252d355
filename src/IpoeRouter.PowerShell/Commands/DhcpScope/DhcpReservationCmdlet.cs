using System.Management.Automation;
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
}
