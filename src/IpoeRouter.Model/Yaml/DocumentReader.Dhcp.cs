using System.Net;
using YamlDotNet.RepresentationModel;

namespace IpoeRouter.Model.Yaml;

public static partial class DocumentReader
{
    private static readonly string[] s_scopeKeys =
    [
        "name", "interface", "range", "leaseTime", "router", "dnsServers", "ntpServers",
        "domain", "searchList", "ipv6Mode", "reservations",
    ];

    private static DhcpScope? ReadScope(MapReader m)
    {
        string? iface = m.RequiredName("interface", interfaceName: true, "the LAN interface the scope serves.");
        string? name = m.Has("name") ? m.ResourceName("name") : iface;
        var c = m.Context;
        var scope = new DhcpScope(name ?? string.Empty, iface ?? string.Empty)
        {
            Range = m.Get("range", ReadRange),
            LeaseTime = m.Duration("leaseTime"),
            Router = m.Address("router", V4),
            DnsServers = m.List("dnsServers", "dnsServers", (n, p) => NodeReader.Address(c, n, p, V4), scalarAllowed: true) ?? ValueList<IPAddress>.Empty,
            NtpServers = m.List("ntpServers", "ntpServers", (n, p) => NodeReader.Address(c, n, p, V4), scalarAllowed: true) ?? ValueList<IPAddress>.Empty,
            Domain = m.Get("domain", NodeReader.DomainName),
            SearchList = m.List("searchList", "searchList", (n, p) => NodeReader.DomainName(c, n, p), scalarAllowed: true) ?? ValueList<string>.Empty,
            Ipv6Mode = m.Enum<Ipv6Mode>("ipv6Mode"),
            Reservations = m.Maps("reservations", "A reservation", ["address", "mac", "clientId", "hostname"], ReadReservation) ?? ValueList<DhcpReservation>.Empty,
        };
        return name is null || iface is null ? null : scope;
    }

    private static AddressRange? ReadRange(ReadContext c, YamlNode node, string path)
    {
        string? text = NodeReader.Scalar(c, node, path, "A range");
        if (text is null)
        {
            return null;
        }

        string[] parts = text.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length != 2
            || !PrefixMath.TryParseAddress(parts[0], out IPAddress? first)
            || !PrefixMath.TryParseAddress(parts[1], out IPAddress? last))
        {
            c.Error(DiagnosticIds.InvalidRange, node, path, $"'{text}' is not an address range such as 192.168.1.200-192.168.1.250.");
            return null;
        }

        if (first.AddressFamily != V4 || last.AddressFamily != V4)
        {
            c.Error(DiagnosticIds.AddressFamilyMismatch, node, path, $"'{text}' must be an IPv4 range; IPv6 clients get addresses by SLAAC.");
            return null;
        }

        if (PrefixMath.ToUInt32(first) > PrefixMath.ToUInt32(last))
        {
            c.Error(DiagnosticIds.InvalidRange, node, path, $"'{text}' starts after it ends.");
            return null;
        }

        return new AddressRange(first, last);
    }

    private static DhcpReservation? ReadReservation(MapReader m)
    {
        IPAddress? address = m.Address("address", V4);
        if (!m.Has("address"))
        {
            m.Missing("address", "the IPv4 address to give the client.");
        }

        string? mac = m.Get("mac", NodeReader.Mac);
        string? clientId = m.Get("clientId", NodeReader.ClientId);

        if (!m.Has("mac") && !m.Has("clientId"))
        {
            m.Context.Error(DiagnosticIds.MissingKey, m.Node, m.Path, "A reservation needs 'mac' or 'clientId' to know the client.");
            return null;
        }

        string? hostname = m.Get("hostname", NodeReader.DomainName);
        return address is null ? null : new DhcpReservation(address) { Mac = mac, ClientId = clientId, Hostname = hostname };
    }
}
