namespace IpoeRouter.Services.DsLite;

/// <summary>What becomes of a packet received from the AFTR's side.</summary>
internal enum AftrPacketFate
{
    /// <summary>Write it to the TUN.</summary>
    Deliver,

    /// <summary>It was longer than the receive buffer and arrived cut.</summary>
    TooBig,

    /// <summary>Its IPv6 source is not the AFTR.</summary>
    WrongSource,

    /// <summary>It is not sane IPv4 (<see cref="Ipv4HeaderCheck"/>).</summary>
    NotIpv4,
}

/// <summary>
/// The downstream decision, apart from the I/O: a packet reaches the TUN only whole, from the AFTR
/// and sane IPv4. The source check repeats the kernel's (the socket is connected) for the moment a
/// new socket exists before <c>connect</c>, when it hears every sender.
/// </summary>
internal static class AftrPacketFilter
{
    /// <summary>Decides for <paramref name="packet"/> from <paramref name="source"/>; on <see cref="AftrPacketFate.Deliver"/>, <paramref name="totalLength"/> is what to write.</summary>
    public static AftrPacketFate Classify(ReadOnlySpan<byte> packet, bool truncated, ReadOnlySpan<byte> source, ReadOnlySpan<byte> aftr, out int totalLength)
    {
        totalLength = 0;
        if (truncated)
        {
            return AftrPacketFate.TooBig;
        }

        if (!source.SequenceEqual(aftr))
        {
            return AftrPacketFate.WrongSource;
        }

        return Ipv4HeaderCheck.Check(packet, out totalLength) == Ipv4Verdict.Valid ? AftrPacketFate.Deliver : AftrPacketFate.NotIpv4;
    }
}
