namespace IpoeRouter.Protocols.Dhcp4;

/// <summary>DHCP message types, the value of option 53 (RFC 2132 §9.6).</summary>
public enum Dhcp4MessageType : byte
{
    /// <summary>DHCPDISCOVER: a client looks for servers.</summary>
    Discover = 1,

    /// <summary>DHCPOFFER: a server offers an address.</summary>
    Offer = 2,

    /// <summary>DHCPREQUEST: a client takes one offer, or confirms or extends its lease.</summary>
    Request = 3,

    /// <summary>DHCPDECLINE: the offered address is already in use.</summary>
    Decline = 4,

    /// <summary>DHCPACK: the server commits the lease.</summary>
    Ack = 5,

    /// <summary>DHCPNAK: the client's notion of its address is wrong.</summary>
    Nak = 6,

    /// <summary>DHCPRELEASE: the client gives its address back.</summary>
    Release = 7,

    /// <summary>DHCPINFORM: configuration only, the client has its address already.</summary>
    Inform = 8,
}

/// <summary>The BOOTP <c>op</c> field (RFC 2131 §2): who sent the message.</summary>
public enum Dhcp4OpCode : byte
{
    /// <summary>BOOTREQUEST: from a client (or a relay on its behalf).</summary>
    BootRequest = 1,

    /// <summary>BOOTREPLY: from a server.</summary>
    BootReply = 2,
}

/// <summary>The <c>flags</c> field (RFC 2131 §2, figure 2): only the leftmost bit has a meaning, the rest must be zero.</summary>
[Flags]
public enum Dhcp4Flags : ushort
{
    /// <summary>No flag: the server may unicast its reply to the client's hardware address.</summary>
    None = 0,

    /// <summary>BROADCAST (bit 0, 0x8000): the client cannot receive unicast before it is configured, so replies are broadcast.</summary>
    Broadcast = 0x8000,
}

/// <summary>
/// The value of the Option Overload option 52 (RFC 2132 §9.3): which of <c>file</c> and
/// <c>sname</c> also carry options. This codec reports it but keeps both fields raw.
/// </summary>
public enum Dhcp4OptionOverload : byte
{
    /// <summary>No option 52: <c>sname</c> and <c>file</c> hold their own content.</summary>
    None = 0,

    /// <summary>1: the <c>file</c> field holds options.</summary>
    File = 1,

    /// <summary>2: the <c>sname</c> field holds options.</summary>
    ServerName = 2,

    /// <summary>3: both fields hold options.</summary>
    Both = 3,
}
