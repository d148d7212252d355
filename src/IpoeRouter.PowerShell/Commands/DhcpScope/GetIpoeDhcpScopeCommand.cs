using System.Management.Automation;
using IpoeRouter.Commands.Completion;
using IpoeRouter.Engine;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>Gets the DHCP scopes the document declares.</summary>
/// <example>
/// <code>Get-IpoeDhcpScope</code>
/// <para>Lists the DHCP scopes with their pools, lease times and IPv6 modes.</para>
/// </example>
/// <example>
/// <code>Get-IpoeDhcpScope -Name enp2s0 | Select-Object -ExpandProperty Reservations</code>
/// <para>Lists the reservations of the scope enp2s0 as the document holds them (Get-IpoeDhcpReservation shows them with their scope).</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "IpoeDhcpScope")]
[OutputType(typeof(DhcpScope))]
public sealed class GetIpoeDhcpScopeCommand : GetResourceCmdlet<DhcpScope>
{
    /// <summary>Names; wildcards allowed.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    public string[]? Name { get; set; }

    /// <inheritdoc/>
    protected override string[]? Keys => Name;

    /// <inheritdoc/>
    protected override string What => "DHCP scope";

    /// <inheritdoc/>
    protected override string NotFoundId => EngineErrorIds.DhcpScopeNotFound;

    /// <inheritdoc/>
    protected override IEnumerable<DhcpScope> Select(RouterDocument document) => document.DhcpScopes;

    /// <inheritdoc/>
    protected override string KeyOf(DhcpScope item) => item.Name;
}
