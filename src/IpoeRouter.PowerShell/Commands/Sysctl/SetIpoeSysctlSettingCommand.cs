using System.Management.Automation;
using IpoeRouter.Commands.Completion;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>Declares a kernel parameter (<c>net.ipv6.conf.all.forwarding</c> = <c>1</c>) or changes its value.</summary>
/// <example>
/// <code>Set-IpoeSysctlSetting net.ipv6.conf.all.forwarding 1</code>
/// <para>Declares that the router forwards IPv6.</para>
/// </example>
[Cmdlet(VerbsCommon.Set, "IpoeSysctlSetting", SupportsShouldProcess = true)]
[OutputType(typeof(SysctlSetting))]
public sealed class SetIpoeSysctlSettingCommand : SetResourceCmdlet<SysctlSetting>
{
    /// <summary>The key in dotted form.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>The value to write.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public object Value { get; set; } = string.Empty;

    /// <inheritdoc/>
    protected override string Key => Normalize(Name);

    /// <summary>The dotted form of a key given as <c>net/ipv4/ip_forward</c> or <c>net.ipv4.ip_forward</c> (sysctl(8) rules).</summary>
    internal static string Normalize(string name) => SysctlSetting.Canonical(name);

    /// <inheritdoc/>
    protected override string What => "sysctl setting";

    /// <inheritdoc/>
    protected override SysctlSetting? Find(RouterDocument document, string key) => document.Sysctl.FirstOrDefault(s => s.Name == key);

    /// <inheritdoc/>
    protected override RouterDocument With(RouterDocument document, SysctlSetting item) => document.WithSysctl(item);

    /// <inheritdoc/>
    protected override SysctlSetting Build(SysctlSetting? existing, RouterDocument document)
    {
        if (!SysctlSetting.IsValidName(Key))
        {
            throw Invalid(nameof(Name), Name, "a key under /proc/sys in dotted form, such as net.ipv6.conf.all.forwarding.");
        }

        object raw = Value is PSObject ps ? ps.BaseObject : Value;
        string text = raw is System.Collections.IEnumerable list and not string
            ? string.Join(' ', list.Cast<object>().Select(Text)) // e.g. ip_local_port_range: "32768 60999"
            : Text(raw);
        return new SysctlSetting(Key, text);
    }

    private static string Text(object value) => (value is PSObject ps ? ps.BaseObject : value) switch
    {
        bool b => b ? "1" : "0",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        var other => other.ToString() ?? string.Empty,
    };
}
