using System.Net;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Linux.Rtnl;

namespace IpoeRouter.LabAftr;

/// <summary>
/// What the engine does to a B4's TUN (and the lab to the AFTR's): an IPv4 address, the MTU, the link
/// up, optionally the default route through it; IPv6 off on it. Over rtnetlink in the caller's namespace.
/// </summary>
internal static class TunSetup
{
    public static void Apply(string name, string addressWithPrefix, int mtu, bool defaultRoute)
    {
        using NetlinkSocket socket = NetlinkSocket.Open();
        var links = new LinkOps(socket);
        LinkInfo link = links.Find(name) ?? throw new InvalidOperationException($"{name} is not there.");
        string ipv6 = $"/proc/sys/net/ipv6/conf/{name}/disable_ipv6"; // an IPv4-only link: no RS or MLD into the TUN
        if (File.Exists(ipv6))
        {
            File.WriteAllText(ipv6, "1\n");
        }

        links.SetMtu(link, mtu);
        string[] parts = addressWithPrefix.Split('/');
        new AddressOps(socket).Replace(new AddressSpec(link.Index, IPAddress.Parse(parts[0]), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)));
        links.SetUp(link, true);
        if (defaultRoute)
        {
            new RouteOps(socket).Replace(new RouteSpec(IPNetwork.Parse("0.0.0.0/0")) { OutputIndex = link.Index });
        }
    }
}
