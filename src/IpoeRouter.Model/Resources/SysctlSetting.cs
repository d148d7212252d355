namespace IpoeRouter.Model;

/// <summary>
/// A kernel parameter under <c>/proc/sys</c> (YAML <c>sysctl</c>), named in dotted form
/// (<c>net.ipv6.conf.all.forwarding</c>). As in sysctl(8), a dot inside an interface name is
/// written as a slash in dotted form: <c>net.ipv6.conf.enp1s0/100.accept_ra</c> is the key of
/// VLAN <c>enp1s0.100</c>. Per-interface keys are applied once the interface exists.
/// </summary>
public sealed record SysctlSetting(string Name, string Value)
{
    /// <summary>
    /// The dotted form of a key given either way: slash form (<c>net/ipv6/conf/enp1s0.100/accept_ra</c>,
    /// recognised by a slash before any dot) has its dots and slashes swapped, as sysctl(8) does.
    /// </summary>
    public static string Canonical(string name)
    {
        int first = name.IndexOfAny(['.', '/']);
        if (first < 0 || name[first] != '/')
        {
            return name;
        }

        return string.Create(name.Length, name, static (span, n) =>
        {
            for (int i = 0; i < n.Length; i++)
            {
                span[i] = n[i] switch { '.' => '/', '/' => '.', var c => c };
            }
        });
    }

    /// <summary>The file under /proc/sys that holds the value.</summary>
    public string ProcPath => "/proc/sys/" + string.Join('/', Name.Split('.').Select(p => p.Replace('/', '.')));

    /// <summary>
    /// True for <c>net.ipv6.conf.*.forwarding</c>-style keys of <paramref name="family"/>
    /// (<c>ipv4</c> or <c>ipv6</c>) on <paramref name="device"/> (<c>all</c>, <c>default</c> or a name).
    /// </summary>
    public bool IsConfKey(string family, string device, string key) =>
        Name == $"net.{family}.conf.{device.Replace('.', '/')}.{key}";

    /// <summary>The interface a <c>net.ipv{4,6}.conf.DEVICE.key</c> setting names, if any (<c>enp1s0.100</c> for <c>enp1s0/100</c>).</summary>
    public string? ConfDevice
    {
        get
        {
            string[] parts = Name.Split('.');
            return parts.Length == 5 && parts[0] == "net" && parts[2] == "conf" ? parts[3].Replace('/', '.') : null;
        }
    }

    /// <summary>The last component, e.g. <c>accept_ra</c>.</summary>
    public string Key => Name[(Name.LastIndexOf('.') + 1)..];

    /// <summary>
    /// True for a valid key in dotted form: at least two components of letters, digits, <c>_</c> and
    /// <c>-</c>, where a <c>/</c> may stand inside a component for a dot of an interface name. No
    /// empty components, nothing that could climb out of /proc/sys.
    /// </summary>
    public static bool IsValidName(string? name) =>
        !string.IsNullOrEmpty(name)
        && name.Length <= 255
        && name.Split('.') is { Length: >= 2 } parts
        && parts.All(p => p.Length > 0 && p[0] != '/' && p[^1] != '/' && !p.Contains("//", StringComparison.Ordinal)
            && p.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '/'));
}
