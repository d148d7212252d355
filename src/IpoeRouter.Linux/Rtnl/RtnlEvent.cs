using System.Globalization;
using System.Net.Sockets;
using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Netlink;

namespace IpoeRouter.Linux.Rtnl;

/// <summary>What an <see cref="RtnlEvent"/> is about.</summary>
public enum RtnlEventKind
{
    /// <summary>A link (<c>RTM_NEWLINK</c>/<c>RTM_DELLINK</c>, group <c>RTNLGRP_LINK</c>).</summary>
    Link,

    /// <summary>An address (<c>RTM_NEWADDR</c>/<c>RTM_DELADDR</c>, groups <c>RTNLGRP_IPV4_IFADDR</c>, <c>RTNLGRP_IPV6_IFADDR</c>).</summary>
    Address,

    /// <summary>A route of the main table (<c>RTM_NEWROUTE</c>/<c>RTM_DELROUTE</c>, groups <c>RTNLGRP_IPV4_ROUTE</c>, <c>RTNLGRP_IPV6_ROUTE</c>).</summary>
    Route,

    /// <summary>A message that did not decode (malformed, or of a type not expected on these groups); <see cref="RtnlEvent.Summary"/> says what it was.</summary>
    Unknown,

    /// <summary>The receive buffer overflowed (<c>ENOBUFS</c>): events were lost; the consumer must read the kernel's state again.</summary>
    Overflow,
}

/// <summary>What happened to the object of an <see cref="RtnlEvent"/>.</summary>
public enum RtnlEventAction
{
    /// <summary>Added or changed (<c>RTM_NEW*</c>: the kernel sends NEW for a change too, e.g. a link going down or an address's lifetimes).</summary>
    New,

    /// <summary>Removed (<c>RTM_DEL*</c>).</summary>
    Deleted,

    /// <summary>No object: <see cref="RtnlEventKind.Unknown"/> and <see cref="RtnlEventKind.Overflow"/>.</summary>
    None,
}

/// <summary>
/// One rtnetlink change event, decoded just enough to log it and to decide whether to re-plan:
/// the agent observes the kernel again rather than acting on the payload.
/// </summary>
/// <param name="Kind">Link, address, route, or the two markers.</param>
/// <param name="Action">New (added or changed) or deleted.</param>
/// <param name="InterfaceIndex">The link it concerns (a route's <c>RTA_OIF</c>); 0 when none.</param>
/// <param name="Summary">A log line: <c>address 2001:db8:1::1/64 deleted on index 3</c>, <c>link v0 down</c>, <c>route ::/0 via fe80::1 dev #3 (proto ra) new</c>.</param>
public sealed record RtnlEvent(RtnlEventKind Kind, RtnlEventAction Action, int InterfaceIndex, string Summary)
{
    /// <summary>The event that stands for lost events (<c>ENOBUFS</c>).</summary>
    public static RtnlEvent Overflow { get; } = new(RtnlEventKind.Overflow, RtnlEventAction.None, 0,
        "rtnetlink receive buffer overflow (ENOBUFS): events were lost, read the kernel's state again");

    /// <summary>An <see cref="RtnlEventKind.Unknown"/> event saying <paramref name="what"/>.</summary>
    public static RtnlEvent Unknown(string what) => new(RtnlEventKind.Unknown, RtnlEventAction.None, 0, what);

    /// <summary>
    /// Decodes one message of the link, address and route groups. A route outside the main table
    /// (<c>RT_TABLE_MAIN</c>, read from <c>RTA_TABLE</c> when present since <c>rtm_table</c> has
    /// only 8 bits) gives null: the local table changes with every address and is left out by
    /// design. A message that does not decode gives an <see cref="RtnlEventKind.Unknown"/> event,
    /// never an exception.
    /// </summary>
    public static RtnlEvent? Decode(NetlinkMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            return message.Type switch
            {
                NetlinkMessageType.NewLink or NetlinkMessageType.DelLink => DecodeLink(message),
                NetlinkMessageType.NewAddress or NetlinkMessageType.DelAddress => DecodeAddress(message),
                NetlinkMessageType.NewRoute or NetlinkMessageType.DelRoute => DecodeRoute(message),
                _ => Unknown($"unexpected rtnetlink message type {(ushort)message.Type} ({message.Payload.Length} bytes)"),
            };
        }
        catch (Exception e) when (e is NetlinkFormatException or ArgumentException)
        {
            return Unknown($"undecodable {Name(message.Type)} ({message.Payload.Length} bytes): {e.Message}");
        }
    }

    private static RtnlEvent DecodeLink(NetlinkMessage message)
    {
        LinkInfo link = LinkOps.Decode(message);
        string name = link.Name.Length > 0 ? link.Name : $"#{link.Index}";
        if (message.Type == NetlinkMessageType.DelLink)
        {
            return new(RtnlEventKind.Link, RtnlEventAction.Deleted, link.Index, $"link {name} deleted");
        }

        string state = !link.IsUp ? "down"
            : (link.Flags & NetlinkConstants.InterfaceLowerUp) != 0 ? "up"
            : "up (no carrier)";
        return new(RtnlEventKind.Link, RtnlEventAction.New, link.Index, $"link {name} {state}");
    }

    private static RtnlEvent DecodeAddress(NetlinkMessage message)
    {
        AddressInfo a = AddressOps.Decode(message);
        bool deleted = message.Type == NetlinkMessageType.DelAddress;
        var notes = new List<string>();
        if (!deleted)
        {
            if (a.IsTentative)
            {
                notes.Add("tentative");
            }

            if ((a.Flags & Ifa.FlagDadFailed) != 0)
            {
                notes.Add("dadfailed");
            }

            if ((a.Flags & Ifa.FlagDeprecated) != 0)
            {
                notes.Add("deprecated");
            }

            if (a.ValidLifetime != Ifa.InfinityLifetime)
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"valid {a.ValidLifetime} s, preferred {a.PreferredLifetime} s"));
            }
        }

        string summary = $"address {a.Address}/{a.PrefixLength} {(deleted ? "deleted" : "new")} on index {a.Index}"
            + (notes.Count > 0 ? $" ({string.Join(", ", notes)})" : string.Empty);
        return new(RtnlEventKind.Address, deleted ? RtnlEventAction.Deleted : RtnlEventAction.New, a.Index, summary);
    }

    private static RtnlEvent? DecodeRoute(NetlinkMessage message)
    {
        if (message.Payload.Length < 1)
        {
            throw new NetlinkFormatException("rtmsg of 0 bytes");
        }

        AddressFamily family = message.Payload[0] switch
        {
            NetlinkConstants.FamilyInet => AddressFamily.InterNetwork,
            NetlinkConstants.FamilyInet6 => AddressFamily.InterNetworkV6,
            var f => throw new NetlinkFormatException($"route of address family {f}"),
        };
        RouteInfo r = RouteOps.Decode(message, family);
        if (r.Table != RouteValues.TableMain)
        {
            return null;
        }

        bool deleted = message.Type == NetlinkMessageType.DelRoute;
        string action = deleted ? "deleted" : message.Flags.HasFlag(NetlinkFlags.Replace) ? "replaced" : "new";
        string summary = "route " + TypeName(r.Type) + r.Destination
            + (r.Gateway is { } g ? $" via {g}" : string.Empty)
            + (r.OutputIndex is { } o ? string.Create(CultureInfo.InvariantCulture, $" dev #{o}") : string.Empty)
            + $" (proto {ProtocolName(r.Protocol)}) {action}";
        return new(RtnlEventKind.Route, deleted ? RtnlEventAction.Deleted : RtnlEventAction.New, r.OutputIndex ?? 0, summary);
    }

    private static string ProtocolName(byte protocol) => protocol switch
    {
        RouteProtocol.Kernel => "kernel",
        RouteProtocol.Boot => "boot",
        RouteProtocol.Static => "static",
        RouteProtocol.RouterAdvertisement => "ra",
        RouteProtocol.Dhcp => "dhcp",
        RouteProtocol.IpoeRouter => "ipoe",
        _ => protocol.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary><c>RTN_*</c> other than unicast, as <c>ip route</c> prints them before the destination.</summary>
    private static string TypeName(byte type) => type switch
    {
        RouteValues.TypeUnicast => string.Empty,
        6 => "blackhole ",
        7 => "unreachable ",
        8 => "prohibit ",
        _ => string.Create(CultureInfo.InvariantCulture, $"type {type} "),
    };

    private static string Name(NetlinkMessageType type) => type switch
    {
        NetlinkMessageType.NewLink => "RTM_NEWLINK",
        NetlinkMessageType.DelLink => "RTM_DELLINK",
        NetlinkMessageType.NewAddress => "RTM_NEWADDR",
        NetlinkMessageType.DelAddress => "RTM_DELADDR",
        NetlinkMessageType.NewRoute => "RTM_NEWROUTE",
        NetlinkMessageType.DelRoute => "RTM_DELROUTE",
        _ => ((ushort)type).ToString(CultureInfo.InvariantCulture),
    };
}
