using System.Buffers.Binary;
using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Netlink;

namespace IpoeRouter.Linux.Rtnl;

/// <summary>Links: list them, bring them up or down, set their MTU, add and delete tunnels.</summary>
public sealed class LinkOps(NetlinkSocket socket)
{
    /// <summary>Every link. Same as <c>ip -d link show</c>.</summary>
    public IReadOnlyList<LinkInfo> Dump()
    {
        var request = new NetlinkMessageBuilder(NetlinkMessageType.GetLink, NetlinkFlags.Request | NetlinkFlags.Dump).IfInfoMsg();
        return socket.Dump(request, "ip link show").Where(m => m.Type == NetlinkMessageType.NewLink).Select(Decode).ToList();
    }

    /// <summary>The link named <paramref name="name"/>, or null.</summary>
    public LinkInfo? Find(string name) => Dump().FirstOrDefault(l => l.Name == name);

    /// <summary>Same as <c>ip link set dev NAME up|down</c>.</summary>
    public void SetUp(LinkInfo link, bool up) =>
        socket.Request(
            ByName(new NetlinkMessageBuilder(NetlinkMessageType.NewLink, NetlinkFlags.Request)
                .IfInfoMsg(index: link.Index, flags: up ? NetlinkConstants.InterfaceUp : 0, change: NetlinkConstants.InterfaceUp), link),
            $"ip link set dev {link.Name} {(up ? "up" : "down")}");

    /// <summary>Same as <c>ip link set dev NAME mtu MTU</c>.</summary>
    public void SetMtu(LinkInfo link, int mtu) =>
        socket.Request(
            ByName(new NetlinkMessageBuilder(NetlinkMessageType.NewLink, NetlinkFlags.Request).IfInfoMsg(index: link.Index), link).AttributeU32(Ifla.Mtu, (uint)mtu),
            $"ip link set dev {link.Name} mtu {mtu}");

    /// <summary>A link known only by name (index 0, e.g. created earlier in the same apply) is found by the kernel through <c>IFLA_IFNAME</c>.</summary>
    private static NetlinkMessageBuilder ByName(NetlinkMessageBuilder m, LinkInfo link) =>
        link.Index == 0 ? m.AttributeString(Ifla.IfName, link.Name) : m;

    /// <summary>
    /// Creates an ip6tnl link (CREATE|EXCL: fails if it exists). Same as
    /// <c>ip link add NAME type ip6tnl mode ipip6 local L remote R ...</c>. On a kernel without the
    /// ip6_tunnel module the error says so and what to do.
    /// </summary>
    public void Add(Ip6TnlLinkSpec spec)
    {
        string operation = $"ip link add {spec.Name} type ip6tnl mode ipip6 local {spec.Local} remote {spec.Remote}";
        try
        {
            socket.Request(spec.EncodeAdd(), operation);
        }
        catch (NetlinkException e) when (e.Errno == 95 || e.KernelMessage?.Contains("Unknown device type", StringComparison.OrdinalIgnoreCase) == true)
        {
            throw new MissingKernelModuleException("ip6_tunnel", operation, e);
        }
    }

    /// <summary>Changes an existing ip6tnl link's parameters in place. Same as <c>ip link set NAME type ip6tnl local L remote R ...</c>.</summary>
    public void Change(int index, Ip6TnlLinkSpec spec) =>
        socket.Request(spec.EncodeChange(index), $"ip link set {spec.Name} type ip6tnl local {spec.Local} remote {spec.Remote}");

    /// <summary>Same as <c>ip link delete NAME</c>.</summary>
    public void Delete(LinkInfo link) =>
        socket.Request(ByName(new NetlinkMessageBuilder(NetlinkMessageType.DelLink, NetlinkFlags.Request).IfInfoMsg(index: link.Index), link), $"ip link delete {link.Name}");

    /// <summary>Reads one RTM_NEWLINK message.</summary>
    public static LinkInfo Decode(NetlinkMessage message)
    {
        ReadOnlySpan<byte> p = message.Payload;
        if (p.Length < 16)
        {
            throw new NetlinkFormatException($"ifinfomsg of {p.Length} bytes");
        }

        int index = BinaryPrimitives.ReadInt32LittleEndian(p[4..]);
        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(p[8..]);
        string name = string.Empty;
        int mtu = 0;
        string? kind = null;
        byte[]? data = null;
        string? hardware = null;
        foreach (var a in new NetlinkAttributes(p[16..]))
        {
            switch (a.Type)
            {
                case Ifla.IfName: name = a.String; break;
                case Ifla.Mtu: mtu = (int)a.U32; break;
                case Ifla.Address: hardware = FormatHardwareAddress(a.Value); break;
                case Ifla.LinkInfo:
                    foreach (var i in new NetlinkAttributes(a.Value))
                    {
                        if (i.Type == IflaInfo.Kind)
                        {
                            kind = i.String;
                        }
                        else if (i.Type == IflaInfo.Data)
                        {
                            data = i.Value.ToArray();
                        }
                    }

                    break;
            }
        }

        return new LinkInfo(index, name, flags, mtu, kind)
        {
            Ip6Tnl = kind == Ip6TnlLinkSpec.Kind && data is not null ? Ip6TnlLinkSpec.Decode(name, mtu, data) : null,
            HardwareAddress = hardware,
        };
    }

    private static string? FormatHardwareAddress(ReadOnlySpan<byte> address)
    {
        if (address.IsEmpty)
        {
            return null;
        }

        var text = new System.Text.StringBuilder(address.Length * 3);
        foreach (byte b in address)
        {
            text.Append(text.Length == 0 ? string.Empty : ":").Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
