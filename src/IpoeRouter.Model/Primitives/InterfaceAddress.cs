using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace IpoeRouter.Model;

/// <summary>
/// An address on an interface with its prefix length, as <c>ip addr</c> shows it
/// (<c>192.168.1.10/24</c>): unlike a prefix, host bits are set.
/// </summary>
public sealed record InterfaceAddress(IPAddress Address, int PrefixLength)
{
    /// <summary>The subnet the address lies in.</summary>
    public IPNetwork Network => PrefixMath.NetworkOf(Address, PrefixLength);

    /// <summary>Parses <c>address/length</c>; both families.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out InterfaceAddress? value)
    {
        value = null;
        if (text is null)
        {
            return false;
        }

        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0
            || !PrefixMath.TryParseAddress(text[..slash], out IPAddress? address)
            || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int length)
            || length > PrefixMath.MaxLength(address))
        {
            return false;
        }

        value = new InterfaceAddress(address, length);
        return true;
    }

    /// <summary>True for IPv4.</summary>
    public bool IsIPv4 => Address.AddressFamily == AddressFamily.InterNetwork;

    /// <inheritdoc/>
    public override string ToString() => PrefixMath.FormatAddress(Address) + "/" + PrefixLength.ToString(CultureInfo.InvariantCulture);
}
