namespace IpoeRouter.Protocols.Dns;

/// <summary>CLASS and QCLASS values (RFC 1035 §3.2.4, §3.2.5).</summary>
public enum DnsClass : ushort
{
    /// <summary>The Internet.</summary>
    In = 1,

    /// <summary>Chaos (version.bind and similar).</summary>
    Ch = 3,

    /// <summary>QCLASS *: any class.</summary>
    Any = 255,
}
