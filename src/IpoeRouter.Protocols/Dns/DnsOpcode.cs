namespace IpoeRouter.Protocols.Dns;

/// <summary>The 4-bit OPCODE of the header (RFC 1035 §4.1.1).</summary>
public enum DnsOpcode : byte
{
    /// <summary>A standard query.</summary>
    Query = 0,

    /// <summary>An inverse query (obsolete, RFC 3425).</summary>
    IQuery = 1,

    /// <summary>A server status request.</summary>
    Status = 2,

    /// <summary>A zone change notification (RFC 1996).</summary>
    Notify = 4,

    /// <summary>A dynamic update (RFC 2136).</summary>
    Update = 5,
}
