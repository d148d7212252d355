namespace IpoeRouter.Protocols.Dhcp4;

/// <summary>DHCPv4 option codes, grouped by the RFC that defines them.</summary>
public static class Dhcp4OptionCode
{
    // RFC 2132 §3: framing and basic host configuration
    /// <summary>Pad (0): one byte, no length; skipped.</summary>
    public const byte Pad = 0;

    /// <summary>Subnet Mask (1).</summary>
    public const byte SubnetMask = 1;

    /// <summary>Router (3).</summary>
    public const byte Router = 3;

    /// <summary>Domain Name Server (6).</summary>
    public const byte DomainNameServer = 6;

    /// <summary>Host Name (12).</summary>
    public const byte HostName = 12;

    /// <summary>Domain Name (15).</summary>
    public const byte DomainName = 15;

    /// <summary>End (255): one byte, no length; the options stop here.</summary>
    public const byte End = 255;

    // RFC 2132 §8
    /// <summary>Network Time Protocol Servers (42).</summary>
    public const byte NtpServers = 42;

    // RFC 2132 §9: DHCP extensions
    /// <summary>Requested IP Address (50).</summary>
    public const byte RequestedIpAddress = 50;

    /// <summary>IP Address Lease Time (51).</summary>
    public const byte LeaseTime = 51;

    /// <summary>Option Overload (52).</summary>
    public const byte OptionOverload = 52;

    /// <summary>DHCP Message Type (53).</summary>
    public const byte MessageType = 53;

    /// <summary>Server Identifier (54).</summary>
    public const byte ServerIdentifier = 54;

    /// <summary>Parameter Request List (55).</summary>
    public const byte ParameterRequestList = 55;

    /// <summary>Renewal (T1) Time Value (58).</summary>
    public const byte RenewalTime = 58;

    /// <summary>Rebinding (T2) Time Value (59).</summary>
    public const byte RebindingTime = 59;

    /// <summary>Client-identifier (61).</summary>
    public const byte ClientIdentifier = 61;

    // RFC 3397
    /// <summary>Domain Search (119).</summary>
    public const byte DomainSearch = 119;

    // RFC 3442
    /// <summary>Classless Static Route (121).</summary>
    public const byte ClasslessStaticRoute = 121;
}
