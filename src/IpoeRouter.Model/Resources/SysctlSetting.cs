namespace IpoeRouter.Model;

/// <summary>
/// A kernel parameter under <c>/proc/sys</c> (YAML <c>sysctl</c>), named in dotted form
/// (<c>net.ipv6.conf.all.forwarding</c>). Per-interface keys are applied once the interface exists.
/// </summary>
public sealed record SysctlSetting(string Name, string Value)
{
    /// <summary>
    /// True for <c>net.ipv6.conf.*.forwarding</c>-style keys of <paramref name="family"/>
    /// (<c>ipv4</c> or <c>ipv6</c>) on <paramref name="device"/> (<c>all</c>, <c>default</c> or a name).
    /// </summary>
    public bool IsConfKey(string family, string device, string key) =>
        Name == $"net.{family}.conf.{device}.{key}";

    /// <summary>The interface a <c>net.ipv{4,6}.conf.DEVICE.key</c> setting names, if any.</summary>
    public string? ConfDevice
    {
        get
        {
            string[] parts = Name.Split('.');
            return parts.Length == 5 && parts[0] == "net" && parts[2] == "conf" ? parts[3] : null;
        }
    }

    /// <summary>The last component, e.g. <c>accept_ra</c>.</summary>
    public string Key => Name[(Name.LastIndexOf('.') + 1)..];

    /// <summary>True for a syntactically valid dotted key (letters, digits, <c>_ - .</c>; no path tricks).</summary>
    public static bool IsValidName(string? name) =>
        !string.IsNullOrEmpty(name)
        && name.Length <= 255
        && name.Split('.') is { Length: >= 2 } parts
        && parts.All(p => p.Length > 0 && p is not "." and not ".." && p.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'));
}
