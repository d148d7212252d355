using System.Globalization;
using System.Text;

namespace IpoeRouter.Model;

/// <summary>
/// Durations in the document are strings with units: <c>"90s"</c>, <c>"5400s"</c>, <c>"4h"</c>,
/// <c>"1h30m"</c>, <c>"2d"</c>. A bare number is refused because seconds and minutes are both
/// plausible and the seed's lifetimes differ by exactly such factors.
/// </summary>
public static class Duration
{
    private static readonly (char Unit, long Seconds)[] s_units =
    [
        ('d', 86400),
        ('h', 3600),
        ('m', 60),
        ('s', 1),
    ];

    /// <summary>Parses a duration; false when <paramref name="text"/> is not one.</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        long total = 0;
        int i = 0;
        int lastUnit = -1;
        string s = text.Trim();
        while (i < s.Length)
        {
            int start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            if (i == start || i == s.Length)
            {
                return false; // a number without a unit, or a unit without a number
            }

            if (!long.TryParse(s.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out long n))
            {
                return false;
            }

            int unit = Array.FindIndex(s_units, u => u.Unit == s[i]);
            if (unit < 0 || unit <= lastUnit)
            {
                return false; // unknown unit, or units out of order ("5s3h") or repeated
            }

            lastUnit = unit;
            try
            {
                total = checked(total + (n * s_units[unit].Seconds));
            }
            catch (OverflowException)
            {
                return false;
            }

            i++;
        }

        if (total > (long)TimeSpan.MaxValue.TotalSeconds)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(total);
        return true;
    }

    /// <summary>The canonical text: the largest units first, zero parts left out (<c>"1h30m"</c>).</summary>
    public static string Format(TimeSpan value)
    {
        long seconds = (long)value.TotalSeconds;
        if (seconds == 0)
        {
            return "0s";
        }

        var sb = new StringBuilder();
        foreach ((char unit, long size) in s_units)
        {
            long n = seconds / size;
            if (n > 0)
            {
                sb.Append(n.ToString(CultureInfo.InvariantCulture)).Append(unit);
                seconds -= n * size;
            }
        }

        return sb.ToString();
    }
}
