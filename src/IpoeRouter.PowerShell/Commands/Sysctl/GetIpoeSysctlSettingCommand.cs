using System.Management.Automation;
using IpoeRouter.Commands.Completion;
using IpoeRouter.Engine;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>Gets the sysctl settings the document declares.</summary>
/// <example>
/// <code>Get-IpoeSysctlSetting -Name net.ipv6.*</code>
/// <para>Lists the IPv6 sysctl settings the document declares.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "IpoeSysctlSetting")]
[OutputType(typeof(SysctlSetting))]
public sealed class GetIpoeSysctlSettingCommand : GetResourceCmdlet<SysctlSetting>
{
    /// <summary>Names; wildcards allowed.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    public string[]? Name { get; set; }

    /// <inheritdoc/>
    protected override string[]? Keys => Name?.Select(SetIpoeSysctlSettingCommand.Normalize).ToArray();

    /// <inheritdoc/>
    protected override string What => "sysctl setting";

    /// <inheritdoc/>
    protected override string NotFoundId => EngineErrorIds.SysctlSettingNotFound;

    /// <inheritdoc/>
    protected override IEnumerable<SysctlSetting> Select(RouterDocument document) => document.Sysctl;

    /// <inheritdoc/>
    protected override string KeyOf(SysctlSetting item) => item.Name;
}
