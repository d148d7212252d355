using System.Management.Automation;
using IpoeRouter.Commands.Completion;
using IpoeRouter.Engine;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>Removes a tunnel from the document. Refused while other resources still name it.</summary>
/// <example>
/// <code>Get-IpoeFirewallRule | Where-Object { 'ip6tnl1' -in $_.InputInterface, $_.OutputInterface } | Remove-IpoeFirewallRule; Remove-IpoeTunnel -Name ip6tnl1</code>
/// <para>Removes the firewall rules that name the tunnel, then the tunnel itself (refused while anything still names it).</para>
/// </example>
[Cmdlet(VerbsCommon.Remove, "IpoeTunnel", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveIpoeTunnelCommand : RemoveResourceCmdlet
{
    /// <summary>The name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <inheritdoc/>
    protected override string Key => Name;

    /// <inheritdoc/>
    protected override string What => "tunnel";

    /// <inheritdoc/>
    protected override string NotFoundId => EngineErrorIds.TunnelNotFound;

    /// <inheritdoc/>
    protected override bool Contains(RouterDocument document, string key) => document.Tunnels.Any(i => i.Name == key);

    /// <inheritdoc/>
    protected override RouterDocument Without(RouterDocument document, string key) => document.WithoutTunnel(key);
}
