namespace IpoeRouter.Protocols.Dhcp6;

/// <summary>DHCPv6 message types (RFC 8415 §7.3).</summary>
public enum Dhcp6MessageType : byte
{
    /// <summary>SOLICIT: a client looks for servers.</summary>
    Solicit = 1,

    /// <summary>ADVERTISE: a server offers.</summary>
    Advertise = 2,

    /// <summary>REQUEST: a client asks one server for leases.</summary>
    Request = 3,

    /// <summary>CONFIRM.</summary>
    Confirm = 4,

    /// <summary>RENEW: extend leases with the server that gave them.</summary>
    Renew = 5,

    /// <summary>REBIND: extend leases with any server.</summary>
    Rebind = 6,

    /// <summary>REPLY.</summary>
    Reply = 7,

    /// <summary>RELEASE.</summary>
    Release = 8,

    /// <summary>DECLINE.</summary>
    Decline = 9,

    /// <summary>RECONFIGURE.</summary>
    Reconfigure = 10,

    /// <summary>INFORMATION-REQUEST: configuration without leases (stateless).</summary>
    InformationRequest = 11,

    /// <summary>RELAY-FORW.</summary>
    RelayForward = 12,

    /// <summary>RELAY-REPL.</summary>
    RelayReply = 13,
}

/// <summary>DHCPv6 status codes (RFC 8415 §21.13).</summary>
public enum Dhcp6Status : ushort
{
    /// <summary>Success.</summary>
    Success = 0,

    /// <summary>UnspecFail.</summary>
    UnspecFail = 1,

    /// <summary>NoAddrsAvail.</summary>
    NoAddrsAvail = 2,

    /// <summary>NoBinding: the server has no lease for this IA (re-solicit).</summary>
    NoBinding = 3,

    /// <summary>NotOnLink.</summary>
    NotOnLink = 4,

    /// <summary>UseMulticast.</summary>
    UseMulticast = 5,

    /// <summary>NoPrefixAvail: no prefix to delegate (re-solicit later).</summary>
    NoPrefixAvail = 6,
}
