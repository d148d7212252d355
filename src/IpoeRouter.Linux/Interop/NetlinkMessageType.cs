namespace IpoeRouter.Linux.Interop;

/// <summary>Netlink message types (linux/netlink.h <c>NLMSG_*</c>, linux/rtnetlink.h <c>RTM_*</c>).</summary>
public enum NetlinkMessageType : ushort
{
    /// <summary><c>NLMSG_NOOP</c>.</summary>
    Noop = 1,

    /// <summary><c>NLMSG_ERROR</c>: an error, or an acknowledgement when the code is 0.</summary>
    Error = 2,

    /// <summary><c>NLMSG_DONE</c>: the end of a dump.</summary>
    Done = 3,

    /// <summary><c>NLMSG_OVERRUN</c>.</summary>
    Overrun = 4,

    /// <summary><c>RTM_NEWLINK</c>.</summary>
    NewLink = 16,

    /// <summary><c>RTM_DELLINK</c>.</summary>
    DelLink = 17,

    /// <summary><c>RTM_GETLINK</c>.</summary>
    GetLink = 18,

    /// <summary><c>RTM_NEWADDR</c>.</summary>
    NewAddress = 20,

    /// <summary><c>RTM_DELADDR</c>.</summary>
    DelAddress = 21,

    /// <summary><c>RTM_GETADDR</c>.</summary>
    GetAddress = 22,

    /// <summary><c>RTM_NEWROUTE</c>.</summary>
    NewRoute = 24,

    /// <summary><c>RTM_DELROUTE</c>.</summary>
    DelRoute = 25,

    /// <summary><c>RTM_GETROUTE</c>.</summary>
    GetRoute = 26,

    /// <summary><c>RTM_NEWNEIGH</c>.</summary>
    NewNeighbor = 28,

    /// <summary><c>RTM_GETNEIGH</c>.</summary>
    GetNeighbor = 30,

    /// <summary><c>RTM_NEWNDUSEROPT</c>: Neighbor Discovery options of a received RA passed to user space (RDNSS, DNSSL …).</summary>
    NewNdUserOption = 68,
}
