using IpoeRouter.Protocols.Dhcp6;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Services.Dhcp6PdClient;

/// <summary>Who a PD client is to its server: its DUID (made once, then kept with the lease) and the IAID of each delegation's IA_PD.</summary>
public static class PdClientIdentity
{
    private static readonly DateTimeOffset s_duidEpoch = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero); // RFC 8415 §11.2: DUID-LLT time base

    /// <summary>
    /// The IA_PD's IAID: FNV-1a of the delegation's name, so it stays the same across restarts and
    /// edits of other delegations (RFC 8415 §12: an IAID must be consistent), without being stored.
    /// </summary>
    public static uint Iaid(string delegation)
    {
        ArgumentNullException.ThrowIfNull(delegation);
        uint hash = 2166136261;
        foreach (byte b in System.Text.Encoding.UTF8.GetBytes(delegation))
        {
            hash = (hash ^ b) * 16777619;
        }

        return hash;
    }

    /// <summary>A new DUID from the WAN's MAC: DUID-LL (RFC 8415 §11.4; what NTT's NGN expects), or DUID-LLT stamped <paramref name="now"/> (§11.2).</summary>
    public static Duid NewDuid(ReadOnlySpan<byte> mac, bool withTime, DateTimeOffset now)
    {
        var address = new ByteString(mac.ToArray());
        return withTime
            ? new DuidLlt(DuidLl.Ethernet, (uint)(now - s_duidEpoch).TotalSeconds, address)
            : new DuidLl(DuidLl.Ethernet, address);
    }
}
