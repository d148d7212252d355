using System.Management.Automation;
using IpoeRouter.Commands.Completion;
using IpoeRouter.Engine;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>Removes a sysctl setting from the document. Refused while other resources still name it.</summary>
/// <example>
/// <code>Remove-IpoeSysctlSetting -Name net.ipv4.tcp_syncookies</code>
/// <para>Stops managing the key; the kernel keeps its current value.</para>
/// </example>
[Cmdlet(VerbsCommon.Remove, "IpoeSysctlSetting", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveIpoeSysctlSettingCommand : RemoveResourceCmdlet
{
    /// <summary>The name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <inheritdoc/>
    protected override string Key => SetIpoeSysctlSettingCommand.Normalize(Name);

    /// <inheritdoc/>
    protected override string What => "sysctl setting";

    /// <inheritdoc/>
    protected override string NotFoundId => EngineErrorIds.SysctlSettingNotFound;

    /// <inheritdoc/>
    protected override bool Contains(RouterDocument document, string key) => document.Sysctl.Any(i => i.Name == key);

    /// <inheritdoc/>
    protected override RouterDocument Without(RouterDocument document, string key) => document.WithoutSysctl(key);
}
