using System.Globalization;
using System.Net;
using System.Net.Sockets;
using YamlDotNet.RepresentationModel;

namespace IpoeRouter.Model.Yaml;

/// <summary>
/// Converters from one YAML node to one typed value. Each reports its own error at the node and
/// returns null, so callers go on and collect every error of the document in one read.
/// </summary>
internal static class NodeReader
{
    public static string? Scalar(ReadContext c, YamlNode node, string path, string what)
    {
        if (node is YamlScalarNode { Value: { } value })
        {
            return value;
        }

        c.Error(DiagnosticIds.WrongNodeType, node, path, $"{what} must be a single value, not {MapReader.Describe(node)}.");
        return null;
    }

    public static bool? Bool(ReadContext c, YamlNode node, string path)
    {
        string? text = Scalar(c, node, path, "A true/false setting");
        switch (text)
        {
            case null:
                return null;
            case "true" or "True" or "TRUE":
                return true;
            case "false" or "False" or "FALSE":
                return false;
            default:
                string hint = text is "yes" or "no" or "on" or "off" or "1" or "0" ? " (YAML 1.2 reads only true and false as booleans)" : string.Empty;
                c.Error(DiagnosticIds.InvalidBoolean, node, path, $"'{text}' is not true or false{hint}.");
                return null;
        }
    }

    public static long? Integer(ReadContext c, YamlNode node, string path, long min, long max)
    {
        string? text = Scalar(c, node, path, "A number");
        if (text is null)
        {
            return null;
        }

        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n))
        {
            c.Error(DiagnosticIds.InvalidInteger, node, path, $"'{text}' is not a whole number.");
            return null;
        }

        if (n < min || n > max)
        {
            c.Error(DiagnosticIds.ValueOutOfRange, node, path, $"{n} is out of range: allowed are {min} to {max}.");
            return null;
        }

        return n;
    }

    public static int? Int(ReadContext c, YamlNode node, string path, int min, int max) =>
        (int?)Integer(c, node, path, min, max);

    public static TEnum? Enum<TEnum>(ReadContext c, YamlNode node, string path)
        where TEnum : struct, System.Enum
    {
        string? text = Scalar(c, node, path, "This setting");
        if (text is null)
        {
            return null;
        }

        foreach (TEnum value in System.Enum.GetValues<TEnum>())
        {
            if (string.Equals(YamlNames.Of(value), text, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        string allowed = string.Join(", ", System.Enum.GetValues<TEnum>().Select(v => YamlNames.Of(v)));
        c.Error(DiagnosticIds.InvalidEnumValue, node, path, $"'{text}' is not allowed here: use one of {allowed}.");
        return null;
    }

    public static IPAddress? Address(ReadContext c, YamlNode node, string path, AddressFamily? family = null, bool unicast = true)
    {
        string? text = Scalar(c, node, path, "An address");
        if (text is null)
        {
            return null;
        }

        if (!PrefixMath.TryParseAddress(text, out IPAddress? address))
        {
            string hint = text.Contains('/', StringComparison.Ordinal) ? " (an address here, without /length)" : string.Empty;
            c.Error(DiagnosticIds.InvalidAddress, node, path, $"'{text}' is not an IP address{hint}.");
            return null;
        }

        if (family is { } f && address.AddressFamily != f)
        {
            c.Error(DiagnosticIds.AddressFamilyMismatch, node, path, $"'{text}' must be an {FamilyName(f)} address here.");
            return null;
        }

        if (unicast && !PrefixMath.IsUnicast(address))
        {
            c.Error(DiagnosticIds.UnusableAddress, node, path, $"'{text}' is not a unicast address (unspecified, multicast or broadcast); a host's address is needed here.");
            return null;
        }

        return address;
    }

    public static InterfaceAddress? InterfaceAddress(ReadContext c, YamlNode node, string path)
    {
        string? text = Scalar(c, node, path, "An interface address");
        if (text is null)
        {
            return null;
        }

        if (!Model.InterfaceAddress.TryParse(text, out InterfaceAddress? value))
        {
            c.Error(DiagnosticIds.InvalidInterfaceAddress, node, path, $"'{text}' is not an address with a prefix length, such as 192.168.1.10/24.");
            return null;
        }

        int shortest = value.IsIPv4 ? 8 : 16;
        if (value.PrefixLength < shortest)
        {
            c.Error(DiagnosticIds.ValueOutOfRange, node, path, $"'{text}' would make /{value.PrefixLength} on-link; an interface's subnet is at least /{shortest}.");
            return null;
        }

        if (!PrefixMath.IsUnicast(value.Address))
        {
            c.Error(DiagnosticIds.UnusableAddress, node, path, $"'{text}' is not a unicast address an interface can carry.");
            return null;
        }

        return value;
    }

    public static IPNetwork? Prefix(ReadContext c, YamlNode node, string path)
    {
        string? text = Scalar(c, node, path, "A prefix");
        if (text is null)
        {
            return null;
        }

        if (!PrefixMath.TryParsePrefix(text, out IPNetwork value))
        {
            string hint = Model.InterfaceAddress.TryParse(text, out InterfaceAddress? a)
                ? $" (host bits are set: the prefix is {PrefixMath.Format(a.Network)})"
                : string.Empty;
            c.Error(DiagnosticIds.InvalidPrefix, node, path, $"'{text}' is not a prefix in CIDR form{hint}.");
            return null;
        }

        return value;
    }

    public static TimeSpan? Duration(ReadContext c, YamlNode node, string path)
    {
        string? text = Scalar(c, node, path, "A duration");
        if (text is null)
        {
            return null;
        }

        if (!Model.Duration.TryParse(text, out TimeSpan value))
        {
            string hint = long.TryParse(text, out _) ? $" Write the unit, e.g. \"{text}s\"." : " Write a number with a unit: s, m, h or d, e.g. \"5400s\" or \"1h30m\".";
            c.Error(DiagnosticIds.InvalidDuration, node, path, $"'{text}' is not a duration.{hint}");
            return null;
        }

        return value;
    }

    public static string? InterfaceName(ReadContext c, YamlNode node, string path)
    {
        string? text = Scalar(c, node, path, "An interface name");
        if (text is not null && !Names.IsValidInterfaceName(text))
        {
            c.Error(DiagnosticIds.InvalidName, node, path,
                $"'{text}' is not a valid interface name: 1 to {Names.MaxInterfaceNameLength} characters, without '/', ':' or spaces.");
            return null;
        }

        return text;
    }

    public static string? ResourceName(ReadContext c, YamlNode node, string path)
    {
        string? text = Scalar(c, node, path, "A name");
        if (text is not null && !Names.IsValidResourceName(text))
        {
            c.Error(DiagnosticIds.InvalidName, node, path,
                $"'{text}' is not a valid name: a letter or digit, then letters, digits, '.', '_' or '-', at most 63 characters.");
            return null;
        }

        return text;
    }

    public static string? DomainName(ReadContext c, YamlNode node, string path)
    {
        string? text = Scalar(c, node, path, "A domain name");
        if (text is not null && !Names.IsValidDomainName(text))
        {
            c.Error(DiagnosticIds.InvalidDomainName, node, path, $"'{text}' is not a valid domain name.");
            return null;
        }

        return text;
    }

    public static string? Mac(ReadContext c, YamlNode node, string path)
    {
        string? text = Scalar(c, node, path, "A MAC address");
        if (text is null)
        {
            return null;
        }

        if (!ValueText.TryParseMac(text, out string? mac))
        {
            c.Error(DiagnosticIds.InvalidMacAddress, node, path, $"'{text}' is not a MAC address such as 00:0d:b9:12:34:56.");
            return null;
        }

        return mac;
    }

    public static string? ClientId(ReadContext c, YamlNode node, string path)
    {
        string? text = Scalar(c, node, path, "A client identifier");
        if (text is null)
        {
            return null;
        }

        if (!ValueText.TryParseClientId(text, out string? id))
        {
            c.Error(DiagnosticIds.InvalidClientId, node, path, $"'{text}' is not a client identifier in hex bytes such as 01:00:0d:b9:12:34:56.");
            return null;
        }

        return id;
    }

    /// <summary>
    /// A list; a single value where a list of values is expected is taken as a list of one when
    /// <paramref name="scalarAllowed"/>. Items that fail are left out (their error is reported).
    /// </summary>
    public static List<T>? List<T>(ReadContext c, YamlNode node, string path, string what, Func<YamlNode, string, T?> item, bool scalarAllowed = false)
        where T : class =>
        Items(c, node, path, what, (n, p) => item(n, p) is { } v ? (true, v) : (false, default!), scalarAllowed);

    /// <summary>As <see cref="List{T}"/>, for value types.</summary>
    public static List<T>? Values<T>(ReadContext c, YamlNode node, string path, string what, Func<YamlNode, string, T?> item, bool scalarAllowed = false)
        where T : struct =>
        Items(c, node, path, what, (n, p) => item(n, p) is { } v ? (true, v) : (false, default), scalarAllowed);

    private static List<T>? Items<T>(ReadContext c, YamlNode node, string path, string what, Func<YamlNode, string, (bool Ok, T Value)> item, bool scalarAllowed)
    {
        if (node is YamlScalarNode && scalarAllowed)
        {
            var (ok, single) = item(node, path + "[0]");
            return ok ? [single] : [];
        }

        if (node is not YamlSequenceNode seq)
        {
            c.Error(DiagnosticIds.WrongNodeType, node, path, $"{what} must be a list (one '- item' per line, or [a, b]), not {MapReader.Describe(node)}.");
            return null;
        }

        var result = new List<T>();
        for (int i = 0; i < seq.Children.Count; i++)
        {
            string itemPath = $"{path}[{i}]";
            c.Note(itemPath, seq.Children[i]);
            var (ok, value) = item(seq.Children[i], itemPath);
            if (ok)
            {
                result.Add(value);
            }
        }

        return result;
    }

    internal static string FamilyName(AddressFamily family) => family == AddressFamily.InterNetwork ? "IPv4" : "IPv6";
}
