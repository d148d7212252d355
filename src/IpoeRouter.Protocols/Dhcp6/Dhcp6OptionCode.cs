namespace IpoeRouter.Protocols.Dhcp6;

/// <summary>DHCPv6 option codes, grouped by the RFC that defines them.</summary>
public static class Dhcp6OptionCode
{
    // RFC 8415 §21
    /// <summary>OPTION_CLIENTID.</summary>
    public const ushort ClientId = 1;

    /// <summary>OPTION_SERVERID.</summary>
    public const ushort ServerId = 2;

    /// <summary>OPTION_ORO.</summary>
    public const ushort Oro = 6;

    /// <summary>OPTION_PREFERENCE.</summary>
    public const ushort Preference = 7;

    /// <summary>OPTION_ELAPSED_TIME.</summary>
    public const ushort ElapsedTime = 8;

    /// <summary>OPTION_STATUS_CODE.</summary>
    public const ushort StatusCode = 13;

    /// <summary>OPTION_RAPID_COMMIT.</summary>
    public const ushort RapidCommit = 14;

    /// <summary>OPTION_RECONF_ACCEPT.</summary>
    public const ushort ReconfigureAccept = 20;

    /// <summary>OPTION_IA_PD.</summary>
    public const ushort IaPd = 25;

    /// <summary>OPTION_IAPREFIX.</summary>
    public const ushort IaPrefix = 26;

    /// <summary>OPTION_SOL_MAX_RT.</summary>
    public const ushort SolMaxRt = 82;

    // RFC 3646
    /// <summary>OPTION_DNS_SERVERS.</summary>
    public const ushort DnsServers = 23;

    /// <summary>OPTION_DOMAIN_LIST.</summary>
    public const ushort DomainList = 24;

    // RFC 6334
    /// <summary>OPTION_AFTR_NAME.</summary>
    public const ushort AftrName = 64;

    // RFC 7598 (kept raw: the containers of MAP-E, MAP-T and lightweight 4over6)
    /// <summary>OPTION_S46_CONT_MAPE.</summary>
    public const ushort S46ContMapE = 94;

    /// <summary>OPTION_S46_CONT_MAPT.</summary>
    public const ushort S46ContMapT = 95;

    /// <summary>OPTION_S46_CONT_LW.</summary>
    public const ushort S46ContLw = 96;
}
