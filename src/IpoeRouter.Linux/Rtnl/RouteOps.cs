using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Netlink;

namespace IpoeRouter.Linux.Rtnl;

/// <summary>A route to install. <see cref="Protocol"/> marks who owns it; the engine uses <see cref="RouteProtocol.IpoeRouter"/>.</summary>
public sealed record RouteSpec(IPNetwork Destination)
{
    /// <summary>Next hop.</summary>
    public IPAddress? Gateway { get; init; }

    /// <summary>Outgoing link index.</summary>
    public int? OutputIndex { get; init; }

    /// <summary>Metric (<c>RTA_PRIORITY</c>).</summary>
    public uint? Metric { get; init; }

    /// <summary><c>rtm_protocol</c>.</summary>
    public byte Protocol { get; init; } = RouteProtocol.IpoeRouter;

    /// <summary>Routing table.</summary>
    public uint Table { get; init; } = RouteValues.TableMain;
}

/// <summary>A route as the kernel lists it (<c>ip route show table all</c>).</summary>
public sealed record RouteInfo(IPNetwork Destination, IPAddress? Gateway, int? OutputIndex, uint? Metric, byte Protocol, uint Table, byte Scope, byte Type)
{
    /// <summary>Seconds until the route expires (RA-learnt routes), or null.</summary>
    public uint? Expires { get; init; }
}

/// <summary>Routes: list, add or replace, delete.</summary>
public sealed class RouteOps(NetlinkSocket socket)
{
    /// <summary>Every route of a family in every table. Same as <c>ip [-4|-6] route show table all</c>.</summary>
    public IReadOnlyList<RouteInfo> Dump(AddressFamily family)
    {
        var request = new NetlinkMessageBuilder(NetlinkMessageType.GetRoute, NetlinkFlags.Request | NetlinkFlags.Dump).RtMsg(AddressOps.Family(family));
        return socket.Dump(request, "ip route show table all").Where(m => m.Type == NetlinkMessageType.NewRoute).Select(m => Decode(m, family)).ToList();
    }

    /// <summary>Adds the route or replaces the one to the same destination and metric (CREATE|REPLACE). Same as <c>ip route replace D [via G] [dev X] [metric M] proto P</c>.</summary>
    public void Replace(RouteSpec spec) =>
        socket.Request(Encode(spec, NetlinkMessageType.NewRoute, NetlinkFlags.Request | NetlinkFlags.Create | NetlinkFlags.Replace), Describe("replace", spec));

    /// <summary>Same as <c>ip route del D [via G] [dev X] [metric M] proto P</c>.</summary>
    public void Delete(RouteSpec spec) =>
        socket.Request(Encode(spec, NetlinkMessageType.DelRoute, NetlinkFlags.Request), Describe("del", spec));

    /// <summary>The request for <paramref name="spec"/>.</summary>
    public static NetlinkMessageBuilder Encode(RouteSpec spec, NetlinkMessageType type, NetlinkFlags flags)
    {
        IPAddress dst = spec.Destination.BaseAddress;
        byte scope = spec.Gateway is null && spec.OutputIndex is not null ? RouteValues.ScopeLink : RouteValues.ScopeUniverse;
        var m = new NetlinkMessageBuilder(type, flags)
            .RtMsg(AddressOps.Family(dst.AddressFamily), (byte)spec.Destination.PrefixLength,
                spec.Table < 256 ? (byte)spec.Table : (byte)0, spec.Protocol, scope, RouteValues.TypeUnicast);
        if (spec.Destination.PrefixLength > 0)
        {
            m.AttributeAddress(Rta.Destination, dst);
        }

        if (spec.Gateway is { } gw)
        {
            m.AttributeAddress(Rta.Gateway, gw);
        }

        if (spec.OutputIndex is { } oif)
        {
            m.AttributeU32(Rta.OutputInterface, (uint)oif);
        }

        if (spec.Metric is { } metric)
        {
            m.AttributeU32(Rta.Priority, metric);
        }

        m.AttributeU32(Rta.Table, spec.Table);
        return m;
    }

    /// <summary>Reads one RTM_NEWROUTE message.</summary>
    public static RouteInfo Decode(NetlinkMessage message, AddressFamily family)
    {
        ReadOnlySpan<byte> p = message.Payload;
        if (p.Length < 12)
        {
            throw new NetlinkFormatException($"rtmsg of {p.Length} bytes");
        }

        int dstLength = p[1];
        uint table = p[4];
        byte protocol = p[5], scope = p[6], type = p[7];
        IPAddress dst = family == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any;
        IPAddress? gateway = null;
        int? oif = null;
        uint? metric = null, expires = null;
        foreach (var a in new NetlinkAttributes(p[12..]))
        {
            switch (a.Type)
            {
                case Rta.Destination: dst = a.Address; break;
                case Rta.Gateway: gateway = a.Address; break;
                case Rta.OutputInterface: oif = (int)a.U32; break;
                case Rta.Priority: metric = a.U32; break;
                case Rta.Table: table = a.U32; break;
                case Rta.Expires: expires = a.U32; break;
                case Rta.CacheInfo when a.Value.Length >= 12 && BinaryPrimitives.ReadInt32LittleEndian(a.Value[8..]) is > 0 and var ticks:
                    expires = (uint)(ticks / 100); // RA-learnt routes: iproute2 prints this as "expires Nsec"
                    break;
            }
        }

        return new RouteInfo(new IPNetwork(dst, dstLength), gateway, oif, metric, protocol, table, scope, type) { Expires = expires };
    }

    private static string Describe(string verb, RouteSpec s) =>
        $"ip route {verb} {s.Destination}" + (s.Gateway is { } g ? $" via {g}" : string.Empty) + (s.OutputIndex is { } o ? $" dev #{o}" : string.Empty)
        + (s.Metric is { } m ? $" metric {m}" : string.Empty) + $" proto {s.Protocol}";
}
