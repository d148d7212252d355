namespace IpoeRouter.Linux.Interop;

/// <summary>Link attributes (linux/if_link.h <c>IFLA_*</c>).</summary>
public static class Ifla
{
    /// <summary><c>IFLA_ADDRESS</c>.</summary>
    public const ushort Address = 1;

    /// <summary><c>IFLA_IFNAME</c>.</summary>
    public const ushort IfName = 3;

    /// <summary><c>IFLA_MTU</c>.</summary>
    public const ushort Mtu = 4;

    /// <summary><c>IFLA_OPERSTATE</c>.</summary>
    public const ushort OperState = 16;

    /// <summary><c>IFLA_LINKINFO</c> (nested).</summary>
    public const ushort LinkInfo = 18;
}

/// <summary>Inside <c>IFLA_LINKINFO</c> (linux/if_link.h <c>IFLA_INFO_*</c>).</summary>
public static class IflaInfo
{
    /// <summary><c>IFLA_INFO_KIND</c>: "veth", "ip6tnl", ...</summary>
    public const ushort Kind = 1;

    /// <summary><c>IFLA_INFO_DATA</c> (nested, kind-specific).</summary>
    public const ushort Data = 2;
}

/// <summary>ip6tnl link data (linux/if_tunnel.h <c>IFLA_IPTUN_*</c>).</summary>
public static class IflaIptun
{
    /// <summary><c>IFLA_IPTUN_LINK</c>: underlying link index (u32).</summary>
    public const ushort Link = 1;

    /// <summary><c>IFLA_IPTUN_LOCAL</c>: local address (16 bytes).</summary>
    public const ushort Local = 2;

    /// <summary><c>IFLA_IPTUN_REMOTE</c>: remote address (16 bytes).</summary>
    public const ushort Remote = 3;

    /// <summary><c>IFLA_IPTUN_TTL</c>: hop limit (u8).</summary>
    public const ushort Ttl = 4;

    /// <summary><c>IFLA_IPTUN_ENCAP_LIMIT</c> (u8).</summary>
    public const ushort EncapLimit = 6;

    /// <summary><c>IFLA_IPTUN_FLOWINFO</c> (u32).</summary>
    public const ushort FlowInfo = 7;

    /// <summary><c>IFLA_IPTUN_FLAGS</c> (u32, <c>IP6_TNL_F_*</c>).</summary>
    public const ushort Flags = 8;

    /// <summary><c>IFLA_IPTUN_PROTO</c> (u8): 4 for IPv4-in-IPv6 (ipip6), 41 for ip6ip6.</summary>
    public const ushort Proto = 9;

    /// <summary><c>IFLA_IPTUN_ENCAP_TYPE</c> (u16).</summary>
    public const ushort EncapType = 15;

    /// <summary><c>IFLA_IPTUN_ENCAP_FLAGS</c> (u16).</summary>
    public const ushort EncapFlags = 16;

    /// <summary><c>IFLA_IPTUN_ENCAP_SPORT</c> (u16, network order).</summary>
    public const ushort EncapSport = 17;

    /// <summary><c>IFLA_IPTUN_ENCAP_DPORT</c> (u16, network order).</summary>
    public const ushort EncapDport = 18;

    /// <summary><c>IFLA_IPTUN_FWMARK</c> (u32).</summary>
    public const ushort Fwmark = 20;

    /// <summary><c>IP6_TNL_F_IGN_ENCAP_LIMIT</c>: send no encapsulation-limit option ("encaplimit none").</summary>
    public const uint FlagIgnoreEncapLimit = 0x1;

    /// <summary><c>TUNNEL_ENCAP_FLAG_CSUM6</c>: iproute2's default encap flags.</summary>
    public const ushort EncapFlagCsum6 = 0x2;
}

/// <summary>Address attributes (linux/if_addr.h <c>IFA_*</c>).</summary>
public static class Ifa
{
    /// <summary><c>IFA_ADDRESS</c>.</summary>
    public const ushort Address = 1;

    /// <summary><c>IFA_LOCAL</c>.</summary>
    public const ushort Local = 2;

    /// <summary><c>IFA_LABEL</c>.</summary>
    public const ushort Label = 3;

    /// <summary><c>IFA_BROADCAST</c>.</summary>
    public const ushort Broadcast = 4;

    /// <summary><c>IFA_CACHEINFO</c> (struct ifa_cacheinfo: preferred, valid, cstamp, tstamp).</summary>
    public const ushort CacheInfo = 6;

    /// <summary><c>IFA_FLAGS</c> (u32, the full <c>IFA_F_*</c> set).</summary>
    public const ushort Flags = 8;

    /// <summary><c>IFA_PROTO</c> (u8): who added the address, like <c>rtm_protocol</c> for routes (Linux 6.1+).</summary>
    public const ushort Protocol = 11;

    /// <summary><c>IFA_F_TEMPORARY</c>: an RFC 8981 privacy address.</summary>
    public const uint FlagTemporary = 0x01;

    /// <summary><c>IFA_F_NODAD</c>.</summary>
    public const uint FlagNoDad = 0x02;

    /// <summary><c>IFA_F_DADFAILED</c>: another host on the link holds this address.</summary>
    public const uint FlagDadFailed = 0x08;

    /// <summary><c>IFA_F_DEPRECATED</c>.</summary>
    public const uint FlagDeprecated = 0x20;

    /// <summary><c>IFA_F_TENTATIVE</c>: duplicate address detection is still running.</summary>
    public const uint FlagTentative = 0x40;

    /// <summary><c>IFA_F_PERMANENT</c>.</summary>
    public const uint FlagPermanent = 0x80;

    /// <summary><c>IFA_F_MANAGETEMPADDR</c>.</summary>
    public const uint FlagManageTempAddr = 0x100;

    /// <summary><c>IFA_F_NOPREFIXROUTE</c>.</summary>
    public const uint FlagNoPrefixRoute = 0x200;

    /// <summary>"forever" in <c>ifa_cacheinfo</c>.</summary>
    public const uint InfinityLifetime = 0xFFFFFFFF;
}

/// <summary>Route attributes (linux/rtnetlink.h <c>RTA_*</c>).</summary>
public static class Rta
{
    /// <summary><c>RTA_DST</c>.</summary>
    public const ushort Destination = 1;

    /// <summary><c>RTA_OIF</c> (u32 ifindex).</summary>
    public const ushort OutputInterface = 4;

    /// <summary><c>RTA_GATEWAY</c>.</summary>
    public const ushort Gateway = 5;

    /// <summary><c>RTA_PRIORITY</c> (u32 metric).</summary>
    public const ushort Priority = 6;

    /// <summary><c>RTA_PREFSRC</c>.</summary>
    public const ushort PreferredSource = 7;

    /// <summary><c>RTA_TABLE</c> (u32).</summary>
    public const ushort Table = 15;

    /// <summary><c>RTA_PREF</c> (u8, IPv6 router preference).</summary>
    public const ushort Preference = 20;

    /// <summary><c>RTA_CACHEINFO</c> (struct rta_cacheinfo; its <c>rta_expires</c> at offset 8 is the time left of an IPv6 route with a lifetime, in USER_HZ ticks of 1/100 s).</summary>
    public const ushort CacheInfo = 12;

    /// <summary><c>RTA_EXPIRES</c> (u32 seconds; multicast route cache entries).</summary>
    public const ushort Expires = 23;
}
