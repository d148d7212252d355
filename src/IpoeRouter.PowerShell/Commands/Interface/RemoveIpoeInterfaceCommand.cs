using System.Management.Automation;
using IpoeRouter.Commands.Completion;
using IpoeRouter.Engine;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>Removes an interface from the document. Refused while other resources still name it.</summary>
/// <example>
/// <code>Remove-IpoeInterface -Name enp3s0</code>
/// <para>Takes the interface enp3s0 out of the document; the next reconcile stops managing it. It is refused while a scope, delegation, tunnel, route or rule still names the interface.</para>
/// </example>
[Cmdlet(VerbsCommon.Remove, "IpoeInterface", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveIpoeInterfaceCommand : RemoveResourceCmdlet
{
    /// <summary>The interface name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <inheritdoc/>
    protected override string Key => Name;

    /// <inheritdoc/>
    protected override string What => "interface";

    /// <inheritdoc/>
    protected override string NotFoundId => EngineErrorIds.InterfaceNotFound;

    /// <inheritdoc/>
    protected override bool Contains(RouterDocument document, string key) => document.Interfaces.Any(i => i.Name == key);

    /// <inheritdoc/>
    protected override RouterDocument Without(RouterDocument document, string key) => document.WithoutInterface(key);
}
