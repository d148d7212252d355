using System.Net;
using IpoeRouter.Model;
using IpoeRouter.Protocols.Dhcp6;
using IpoeRouter.Services.Dhcp6InfoServer;
using IpoeRouter.Services.RaSender;

namespace IpoeRouter.Agent.Hosting;

/// <summary>One LAN served from a delegation: its /64 by subnet id, and its services (RA, stateless DHCPv6).</summary>
internal sealed class LanService(string delegation, string iface, int subnetId, IPAddress host, Ipv6Mode mode)
{
    public string Delegation { get; } = delegation;

    public string Interface { get; } = iface;

    public int SubnetId { get; } = subnetId;

    public IPAddress Host { get; } = host;

    public Ipv6Mode Mode { get; } = mode;

    public bool ServesDns { get; init; }

    public IReadOnlyList<string> SearchList { get; init; } = [];

    public Duid ServerId { get; init; } = null!;

    public RaSenderHost Ra { get; set; } = null!;

    public InfoServerHost? Info { get; set; }

    /// <summary>What the RA announces: the current /64 and those being deprecated.</summary>
    public IReadOnlyList<AnnouncedPrefix> Prefixes { get; set; } = [];

    /// <summary>The router's address in the current /64, null while there is none.</summary>
    public IPAddress? RouterAddress { get; set; }

    /// <summary>RAs sent (Interlocked).</summary>
    public int Sent;

    /// <summary>What the log last said this LAN announces (logged again only when it changes).</summary>
    public string? LastLogged;
}
