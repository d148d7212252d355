namespace IpoeRouter.Linux.Interop;

/// <summary><c>rtm_protocol</c> values (linux/rtnetlink.h <c>RTPROT_*</c>): who installed a route.</summary>
public static class RouteProtocol
{
    /// <summary><c>RTPROT_KERNEL</c>: connected routes.</summary>
    public const byte Kernel = 2;

    /// <summary><c>RTPROT_BOOT</c>: <c>ip route add</c> without a protocol.</summary>
    public const byte Boot = 3;

    /// <summary><c>RTPROT_STATIC</c>.</summary>
    public const byte Static = 4;

    /// <summary><c>RTPROT_RA</c>: learnt from a Router Advertisement.</summary>
    public const byte RouterAdvertisement = 9;

    /// <summary><c>RTPROT_DHCP</c>.</summary>
    public const byte Dhcp = 16;

    /// <summary>
    /// IpoeRouter's own protocol number: every route the engine installs carries it, so the engine
    /// can tell its routes from everyone else's and never removes another's. Unassigned in
    /// iproute2's rt_protos (which lists 0–18, 42, 99, 186–192).
    /// </summary>
    public const byte IpoeRouter = 233;
}

/// <summary><c>rtm_table</c>, <c>rtm_scope</c> and <c>rtm_type</c> values.</summary>
public static class RouteValues
{
    /// <summary><c>RT_TABLE_MAIN</c>.</summary>
    public const byte TableMain = 254;

    /// <summary><c>RT_SCOPE_UNIVERSE</c>.</summary>
    public const byte ScopeUniverse = 0;

    /// <summary><c>RT_SCOPE_LINK</c>.</summary>
    public const byte ScopeLink = 253;

    /// <summary><c>RT_SCOPE_HOST</c>.</summary>
    public const byte ScopeHost = 254;

    /// <summary><c>RTN_UNICAST</c>.</summary>
    public const byte TypeUnicast = 1;
}

/// <summary>Socket-level constants Tmds.LibC does not have (linux/netlink.h, linux/rtnetlink.h).</summary>
public static class NetlinkConstants
{
    /// <summary><c>NETLINK_ROUTE</c>.</summary>
    public const int ProtocolRoute = 0;

    /// <summary><c>NETLINK_NETFILTER</c>: nfnetlink (nftables).</summary>
    public const int ProtocolNetfilter = 12;

    /// <summary><c>NETLINK_ADD_MEMBERSHIP</c>.</summary>
    public const int AddMembership = 1;

    /// <summary><c>NETLINK_EXT_ACK</c>: errors carry the kernel's explanation.</summary>
    public const int ExtendedAck = 11;

    /// <summary><c>NLMSGERR_ATTR_MSG</c>: the extended-ack text.</summary>
    public const ushort ErrorAttributeMessage = 1;

    /// <summary><c>RTNLGRP_LINK</c>.</summary>
    public const uint GroupLink = 1;

    /// <summary><c>RTNLGRP_NEIGH</c>: neighbour table entries made, changed and deleted.</summary>
    public const uint GroupNeighbor = 3;

    /// <summary><c>RTNLGRP_IPV4_IFADDR</c>.</summary>
    public const uint GroupIpv4Address = 5;

    /// <summary><c>RTNLGRP_IPV4_ROUTE</c>.</summary>
    public const uint GroupIpv4Route = 7;

    /// <summary><c>RTNLGRP_IPV6_IFADDR</c>.</summary>
    public const uint GroupIpv6Address = 9;

    /// <summary><c>RTNLGRP_IPV6_ROUTE</c>.</summary>
    public const uint GroupIpv6Route = 11;

    /// <summary><c>RTNLGRP_ND_USEROPT</c>: the ND options of received RAs the kernel does not act on itself.</summary>
    public const uint GroupNdUserOption = 20;

    /// <summary><c>IFF_UP</c>.</summary>
    public const uint InterfaceUp = 0x1;

    /// <summary><c>IFF_LOWER_UP</c>.</summary>
    public const uint InterfaceLowerUp = 0x10000;

    /// <summary><c>AF_INET</c>.</summary>
    public const byte FamilyInet = 2;

    /// <summary><c>AF_INET6</c>.</summary>
    public const byte FamilyInet6 = 10;

    /// <summary><c>IPPROTO_IPIP</c>: IPv4 carried in IPv6 (ip6tnl mode ipip6).</summary>
    public const byte ProtocolIpip = 4;
}
