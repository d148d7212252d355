using System.Net;
using IpoeRouter.Services.Hosting;

namespace IpoeRouter.Engine.Diagnostics;

/// <summary>
/// What to do about a program on one of the router's ports, by the program: the daemons the
/// hand-built router used (dnsmasq, wide-dhcpv6-client, isc-dhcp), and those a distribution starts
/// by itself (systemd-networkd, systemd-resolved). Programs are known by <c>/proc/PID/comm</c>,
/// which the kernel cuts to 15 characters (<c>systemd-network</c>, <c>systemd-resolve</c>).
/// </summary>
public static class ConflictRemedies
{
    /// <summary>The comm of systemd-networkd.</summary>
    public const string NetworkdComm = "systemd-network";

    /// <summary>The comm of systemd-resolved.</summary>
    public const string ResolvedComm = "systemd-resolve";

    /// <summary>
    /// The programs the scan knows, by comm, with the ports they are known to use: when a socket's
    /// holder cannot be read, the one known program of the socket's uid that uses its port is named.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<ServicePort>> KnownPorts { get; } = new Dictionary<string, IReadOnlyList<ServicePort>>(StringComparer.Ordinal)
    {
        [NetworkdComm] = [ServicePort.Dhcp6Client, ServicePort.Dhcp4Client, ServicePort.Dhcp4Server],
        [ResolvedComm] = [ServicePort.DnsUdp, ServicePort.DnsTcp],
        ["dnsmasq"] = [ServicePort.DnsUdp, ServicePort.DnsTcp, ServicePort.Dhcp4Server, ServicePort.Dhcp6Server],
        ["dhcp6c"] = [ServicePort.Dhcp6Client],
        ["dhcpd"] = [ServicePort.Dhcp4Server, ServicePort.Dhcp6Server],
        ["dhclient"] = [ServicePort.Dhcp4Client, ServicePort.Dhcp6Client],
        ["kea-dhcp4"] = [ServicePort.Dhcp4Server],
        ["kea-dhcp6"] = [ServicePort.Dhcp6Server],
        ["dhcpcd"] = [ServicePort.Dhcp4Client, ServicePort.Dhcp6Client],
        ["unbound"] = [ServicePort.DnsUdp, ServicePort.DnsTcp],
        ["named"] = [ServicePort.DnsUdp, ServicePort.DnsTcp],
    };

    /// <summary>The addresses of systemd-resolved's stub listeners (DNSStubListener= and its "extra" proxy).</summary>
    public static IReadOnlyList<IPAddress> ResolvedStubAddresses { get; } = [IPAddress.Parse("127.0.0.53"), IPAddress.Parse("127.0.0.54")];

    /// <summary>
    /// The remedy for <paramref name="socket"/> held by <paramref name="holder"/> (a comm, or null when
    /// no process could be read), naming the router's <paramref name="links"/> where that helps.
    /// </summary>
    public static string For(string? holder, BoundSocket socket, IReadOnlyList<RouterLink> links)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(links);
        string linkNames = links.Count == 0 ? "the router's links" : string.Join(", ", links.Select(l => l.Name));
        string? known = holder switch
        {
            NetworkdComm => Networkd(socket.Port, linkNames),
            ResolvedComm => Resolved,
            "dnsmasq" => "Stop and disable dnsmasq: 'systemctl disable --now dnsmasq' (if NetworkManager or libvirt started it, turn its DNS/DHCP off there); the agent serves DHCP and DNS itself.",
            "dhcp6c" => "Stop and disable wide-dhcpv6-client: 'systemctl disable --now wide-dhcpv6-client'; the agent is the DHCPv6-PD client.",
            "dhcpd" => "Stop and disable isc-dhcp-server: 'systemctl disable --now isc-dhcp-server isc-dhcp-server6'; the agent is the DHCP server.",
            "dhclient" => $"Stop dhclient ('dhclient -x', or kill the pid) and remove the 'inet dhcp' / 'inet6 dhcp' stanzas for {linkNames} from /etc/network/interfaces (ifupdown starts it); the agent is the WAN's DHCP client.",
            "kea-dhcp4" => "Stop and disable kea-dhcp4-server: 'systemctl disable --now kea-dhcp4-server'; the agent is the DHCPv4 server.",
            "kea-dhcp6" => "Stop and disable kea-dhcp6-server: 'systemctl disable --now kea-dhcp6-server'; the agent is the DHCPv6 server.",
            "dhcpcd" => "Stop and disable dhcpcd: 'systemctl disable --now dhcpcd'; the agent is the WAN's DHCP client.",
            "unbound" => "Stop and disable unbound ('systemctl disable --now unbound'), or make it listen on loopback only (interface: 127.0.0.1); the agent's DNS forwarder answers the LANs.",
            "named" => "Stop and disable named ('systemctl disable --now named'), or limit its listen-on to loopback; the agent's DNS forwarder answers the LANs.",
            _ => null,
        };
        if (known is not null)
        {
            return known;
        }

        if (holder is null && socket.Port == 53 && ResolvedStubAddresses.Contains(socket.LocalAddress))
        {
            return Resolved;
        }

        string flag = socket.Protocol == "tcp" ? "-ltnp" : "-lunp";
        return holder is null
            ? $"A process of uid {socket.Uid} holds it; 'ss {flag} sport = :{socket.Port}' as root names it. Stop it, or make it leave {socket.Protocol} port {socket.Port}."
            : $"Stop {holder}, or configure it to leave {socket.Protocol} port {socket.Port} alone.";
    }

    /// <summary>The remedy for systemd-networkd managing <paramref name="link"/>.</summary>
    public static string NetworkdLink(RouterLink link, NetworkdLinkState? state)
    {
        ArgumentNullException.ThrowIfNull(link);
        string file = state?.NetworkFile is { Length: > 0 } f ? $"the .network file that matches it ({f})" : $"a .network file matching Name={link.Name}";
        return $"Let systemd-networkd leave {link.Name} to the agent: set Unmanaged=yes in the [Link] section of {file}, then 'networkctl reload' (or stop and disable systemd-networkd if it manages nothing else).";
    }

    private const string Resolved =
        "Turn systemd-resolved's stub listener off: DNSStubListener=no in /etc/systemd/resolved.conf (or a drop-in in /etc/systemd/resolved.conf.d/), then 'systemctl restart systemd-resolved'.";

    private static string Networkd(int port, string links) => port switch
    {
        546 => $"systemd-networkd runs a DHCPv6 client: set DHCP=no and IPv6AcceptRA=no in the [Network] section of the .network files matching {links} (or Unmanaged=yes to leave them to the agent), then 'networkctl reload'.",
        68 => $"systemd-networkd runs a DHCPv4 client: set DHCP=no in the .network files matching {links} (or Unmanaged=yes), then 'networkctl reload'.",
        67 => $"systemd-networkd runs a DHCP server: set DHCPServer=no in the .network files matching {links} (or Unmanaged=yes), then 'networkctl reload'.",
        _ => $"Let systemd-networkd leave {links} to the agent (Unmanaged=yes in their .network files, then 'networkctl reload'), or stop and disable it.",
    };
}
