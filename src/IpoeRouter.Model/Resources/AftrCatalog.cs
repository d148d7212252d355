using System.Net;

namespace IpoeRouter.Model;

/// <summary>AFTRs whose addresses are known, for <c>Set-IpoeTunnel -Aftr</c>.</summary>
public enum KnownAftr
{
    /// <summary>transix, NTT East area (gw.transix.jp in the east).</summary>
    TransixEast,

    /// <summary>transix, NTT West area (gw.transix.jp in the west).</summary>
    TransixWest,
}

/// <summary>The published addresses and names of known AFTRs.</summary>
public static class AftrCatalog
{
    /// <summary>The FQDN transix publishes for its AFTR; it resolves to the area's addresses through the NGN's DNS.</summary>
    public const string TransixFqdn = "gw.transix.jp";

    /// <summary>The primary AFTR address for <paramref name="aftr"/>.</summary>
    public static IPAddress AddressOf(KnownAftr aftr) => aftr switch
    {
        KnownAftr.TransixEast => IPAddress.Parse("2404:8e00::feed:100"),
        KnownAftr.TransixWest => IPAddress.Parse("2404:8e01::feed:100"),
        _ => throw new ArgumentOutOfRangeException(nameof(aftr), aftr, null),
    };
}
