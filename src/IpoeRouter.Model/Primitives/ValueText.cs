using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace IpoeRouter.Model;

/// <summary>
/// The text forms of values, shared by the YAML reader and the cmdlets' parameters so that both
/// accept exactly the same spellings.
/// </summary>
public static class ValueText
{
    private static readonly Dictionary<string, string> s_protocols = new(StringComparer.OrdinalIgnoreCase)
    {
        ["tcp"] = "tcp",
        ["udp"] = "udp",
        ["icmp"] = "icmp",
        ["icmpv6"] = "icmpv6",
        ["ipv6-icmp"] = "icmpv6",
        ["sctp"] = "sctp",
        ["udplite"] = "udplite",
        ["esp"] = "esp",
        ["ah"] = "ah",
        ["gre"] = "gre",
    };

    /// <summary>The protocol names a rule may use (besides numbers 0–255).</summary>
    public static IEnumerable<string> ProtocolNames => s_protocols.Values.Distinct();

    /// <summary>A protocol name in canonical form (<c>ipv6-icmp</c> → <c>icmpv6</c>), or a number 0–255 as text.</summary>
    public static bool TryParseProtocol(string? text, [NotNullWhen(true)] out string? protocol)
    {
        protocol = null;
        if (text is null)
        {
            return false;
        }

        if (s_protocols.TryGetValue(text, out protocol))
        {
            return true;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n is >= 0 and <= 255)
        {
            protocol = n.ToString(CultureInfo.InvariantCulture);
            return true;
        }

        return false;
    }

    /// <summary>A port <c>546</c> or an inclusive range <c>1024-65535</c>.</summary>
    public static bool TryParsePort(string? text, [NotNullWhen(true)] out PortRange? port)
    {
        port = null;
        string[] parts = (text ?? string.Empty).Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length is 1 or 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int first)
            && int.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out int last)
            && first <= 65535 && last <= 65535 && first <= last)
        {
            port = new PortRange(first, last);
            return true;
        }

        return false;
    }

    /// <summary>A rate <c>10/second</c> (units second, minute, hour, day).</summary>
    public static bool TryParseRate(string? text, [NotNullWhen(true)] out RateLimit? rate)
    {
        rate = null;
        string[] parts = (text ?? string.Empty).Split('/', StringSplitOptions.TrimEntries);
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count <= 0)
        {
            return false;
        }

        foreach (RateUnit unit in Enum.GetValues<RateUnit>())
        {
            if (string.Equals(unit.ToString(), parts[1], StringComparison.OrdinalIgnoreCase))
            {
                rate = new RateLimit(count, unit);
                return true;
            }
        }

        return false;
    }

    /// <summary>An IPv4 range <c>first-last</c>, first not after last.</summary>
    public static bool TryParseRange(string? text, [NotNullWhen(true)] out AddressRange? range)
    {
        range = null;
        string[] parts = (text ?? string.Empty).Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length == 2
            && PrefixMath.TryParseAddress(parts[0], out IPAddress? first) && first.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            && PrefixMath.TryParseAddress(parts[1], out IPAddress? last) && last.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            && PrefixMath.ToUInt32(first) <= PrefixMath.ToUInt32(last))
        {
            range = new AddressRange(first, last);
            return true;
        }

        return false;
    }

    /// <summary>A MAC address <c>00:0d:b9:12:34:56</c> (or with dashes), returned lower-case with colons.</summary>
    public static bool TryParseMac(string? text, [NotNullWhen(true)] out string? mac)
    {
        mac = null;
        string[] parts = (text ?? string.Empty).Split(':', '-');
        if (parts.Length != 6 || parts.Any(p => p.Length != 2 || !p.All(char.IsAsciiHexDigit)))
        {
            return false;
        }

        mac = string.Join(':', parts).ToLowerInvariant();
        return true;
    }

    /// <summary>A DHCP client identifier (option 61) as two or more hex bytes <c>01:00:0d:b9:12:34:56</c>, returned lower-case.</summary>
    public static bool TryParseClientId(string? text, [NotNullWhen(true)] out string? clientId)
    {
        clientId = null;
        string[] parts = (text ?? string.Empty).Split(':');
        if (parts.Length < 2 || parts.Any(p => p.Length != 2 || !p.All(char.IsAsciiHexDigit)))
        {
            return false;
        }

        clientId = string.Join(':', parts).ToLowerInvariant();
        return true;
    }
}
