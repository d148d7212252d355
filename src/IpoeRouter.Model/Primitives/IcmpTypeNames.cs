namespace IpoeRouter.Model;

/// <summary>The names nftables uses for ICMP and ICMPv6 types, so a rule can say <c>nd-router-advert</c> instead of 134.</summary>
public static class IcmpTypeNames
{
    private static readonly Dictionary<string, int> s_v6 = new(StringComparer.Ordinal)
    {
        ["destination-unreachable"] = 1,
        ["packet-too-big"] = 2,
        ["time-exceeded"] = 3,
        ["parameter-problem"] = 4,
        ["echo-request"] = 128,
        ["echo-reply"] = 129,
        ["mld-listener-query"] = 130,
        ["mld-listener-report"] = 131,
        ["mld-listener-done"] = 132,
        ["nd-router-solicit"] = 133,
        ["nd-router-advert"] = 134,
        ["nd-neighbor-solicit"] = 135,
        ["nd-neighbor-advert"] = 136,
        ["nd-redirect"] = 137,
        ["router-renumbering"] = 138,
        ["ind-neighbor-solicit"] = 141,
        ["ind-neighbor-advert"] = 142,
        ["mld2-listener-report"] = 143,
    };

    private static readonly Dictionary<string, int> s_v4 = new(StringComparer.Ordinal)
    {
        ["echo-reply"] = 0,
        ["destination-unreachable"] = 3,
        ["source-quench"] = 4,
        ["redirect"] = 5,
        ["echo-request"] = 8,
        ["router-advertisement"] = 9,
        ["router-solicitation"] = 10,
        ["time-exceeded"] = 11,
        ["parameter-problem"] = 12,
    };

    /// <summary>The type number for a name or a number 0–255, else null.</summary>
    public static int? Parse(string text, bool v6)
    {
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n))
        {
            return n is >= 0 and <= 255 ? n : null;
        }

        return (v6 ? s_v6 : s_v4).TryGetValue(text, out int t) ? t : null;
    }

    /// <summary>The name for a type number, or the number as text.</summary>
    public static string Format(int type, bool v6) =>
        (v6 ? s_v6 : s_v4).FirstOrDefault(kv => kv.Value == type).Key
        ?? type.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The known names.</summary>
    public static IEnumerable<string> KnownNames(bool v6) => (v6 ? s_v6 : s_v4).Keys;
}
