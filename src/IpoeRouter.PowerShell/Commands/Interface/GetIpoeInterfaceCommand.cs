using System.Management.Automation;
using IpoeRouter.Commands.Completion;
using IpoeRouter.Engine;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>Gets the interfaces the document declares.</summary>
/// <example>
/// <code>Get-IpoeInterface</code>
/// <para>Lists the interfaces the document declares, with their roles and addresses.</para>
/// </example>
/// <example>
/// <code>Get-IpoeInterface -Name enp* -Path ./router.yaml | Format-List</code>
/// <para>Shows every property of the interfaces whose names start with enp, in the document ./router.yaml.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "IpoeInterface")]
[OutputType(typeof(Interface))]
public sealed class GetIpoeInterfaceCommand : GetResourceCmdlet<Interface>
{
    /// <summary>Interface names; wildcards allowed.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    public string[]? Name { get; set; }

    /// <inheritdoc/>
    protected override string[]? Keys => Name;

    /// <inheritdoc/>
    protected override string What => "interface";

    /// <inheritdoc/>
    protected override string NotFoundId => EngineErrorIds.InterfaceNotFound;

    /// <inheritdoc/>
    protected override IEnumerable<Interface> Select(RouterDocument document) => document.Interfaces;

    /// <inheritdoc/>
    protected override string KeyOf(Interface item) => item.Name;
}
