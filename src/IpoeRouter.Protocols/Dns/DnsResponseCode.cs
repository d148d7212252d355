namespace IpoeRouter.Protocols.Dns;

/// <summary>The 4-bit RCODE of the header (RFC 1035 §4.1.1).</summary>
public enum DnsResponseCode : byte
{
    /// <summary>No error.</summary>
    NoError = 0,

    /// <summary>The server could not interpret the query.</summary>
    FormErr = 1,

    /// <summary>The server failed to process the query (no upstream answered, upstream failed).</summary>
    ServFail = 2,

    /// <summary>The name does not exist (NXDOMAIN).</summary>
    NxDomain = 3,

    /// <summary>The kind of query is not supported.</summary>
    NotImp = 4,

    /// <summary>The server refuses to answer for policy reasons.</summary>
    Refused = 5,
}
