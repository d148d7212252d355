namespace IpoeRouter.Model;

/// <summary>The rules for names in the document.</summary>
public static class Names
{
    /// <summary>The kernel's IFNAMSIZ less the terminating NUL.</summary>
    public const int MaxInterfaceNameLength = 15;

    /// <summary>
    /// A Linux interface name as <c>dev_valid_name()</c> accepts it: 1–15 bytes, not <c>.</c> or
    /// <c>..</c>, no <c>/</c>, <c>:</c> or white space.
    /// </summary>
    public static bool IsValidInterfaceName(string? name) =>
        !string.IsNullOrEmpty(name)
        && name.Length <= MaxInterfaceNameLength
        && name is not "." and not ".."
        && name.All(c => c > ' ' && c < 0x7f && c is not '/' and not ':');

    /// <summary>
    /// A resource name (delegation, scope, rule, chain): starts with a letter or digit, then
    /// letters, digits, <c>.</c>, <c>_</c> or <c>-</c>, at most 63 characters.
    /// </summary>
    public static bool IsValidResourceName(string? name) =>
        !string.IsNullOrEmpty(name)
        && name.Length <= 63
        && char.IsAsciiLetterOrDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>A DNS name (RFC 1123 labels, 253 characters at most, an optional trailing dot).</summary>
    public static bool IsValidDomainName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        string n = name.EndsWith('.') ? name[..^1] : name;
        return n.Length is > 0 and <= 253
            && n.Split('.').All(l => l.Length is > 0 and <= 63
                && char.IsAsciiLetterOrDigit(l[0]) && char.IsAsciiLetterOrDigit(l[^1])
                && l.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'));
    }
}
