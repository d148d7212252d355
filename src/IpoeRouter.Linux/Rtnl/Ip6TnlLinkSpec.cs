using System.Net;
using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Netlink;

namespace IpoeRouter.Linux.Rtnl;

/// <summary>
/// An ip6tnl link: IPv4 (mode ipip6, protocol 4) or IPv6 carried in IPv6 between
/// <see cref="Local"/> and <see cref="Remote"/>. DS-Lite's B4 side. Encoded attribute for
/// attribute as iproute2 6.1 sends it, so the request is byte-identical to <c>ip link add</c>.
/// </summary>
public sealed record Ip6TnlLinkSpec(string Name, IPAddress Local, IPAddress Remote)
{
    /// <summary>The kind name in <c>IFLA_INFO_KIND</c>.</summary>
    public const string Kind = "ip6tnl";

    /// <summary>The encapsulation limit iproute2 writes when none is asked for.</summary>
    public const byte DefaultEncapLimit = 4;

    /// <summary>The RFC 2473 encapsulation limit; null sends none (<c>encaplimit none</c>), which AFTRs expect.</summary>
    public byte? EncapLimit { get; init; }

    /// <summary>The outer hop limit (<c>ttl</c>/<c>hoplimit</c>).</summary>
    public byte HopLimit { get; init; } = 64;

    /// <summary>Link MTU, or null for the kernel's default.</summary>
    public int? Mtu { get; init; }

    /// <summary>Inner protocol: 4 (IPv4, mode ipip6).</summary>
    public byte Protocol { get; init; } = NetlinkConstants.ProtocolIpip;

    /// <summary>
    /// The request that creates the link. Same as
    /// <c>ip link add NAME [mtu M] type ip6tnl mode ipip6 local L remote R encaplimit none|N ttl H</c>.
    /// </summary>
    public NetlinkMessageBuilder EncodeAdd() =>
        Encode(new NetlinkMessageBuilder(NetlinkMessageType.NewLink, NetlinkFlags.Request | NetlinkFlags.Create | NetlinkFlags.Exclusive).IfInfoMsg());

    /// <summary>The request that changes the existing link <paramref name="index"/> to this spec (no CREATE: it must exist).</summary>
    public NetlinkMessageBuilder EncodeChange(int index) =>
        Encode(new NetlinkMessageBuilder(NetlinkMessageType.NewLink, NetlinkFlags.Request).IfInfoMsg(index: index));

    private NetlinkMessageBuilder Encode(NetlinkMessageBuilder m)
    {
        if (Mtu is { } mtu)
        {
            m.AttributeU32(Ifla.Mtu, (uint)mtu);
        }

        m.AttributeString(Ifla.IfName, Name);
        int info = m.BeginNested(Ifla.LinkInfo);
        m.AttributeString(IflaInfo.Kind, Kind, terminate: false);
        int data = m.BeginNested(IflaInfo.Data);
        m.AttributeU8(IflaIptun.Proto, Protocol)
            .AttributeAddress(IflaIptun.Local, Local)
            .AttributeAddress(IflaIptun.Remote, Remote)
            .AttributeU8(IflaIptun.Ttl, HopLimit)
            .AttributeU8(IflaIptun.EncapLimit, EncapLimit ?? DefaultEncapLimit)
            .AttributeU32(IflaIptun.FlowInfo, 0)
            .AttributeU32(IflaIptun.Flags, EncapLimit is null ? IflaIptun.FlagIgnoreEncapLimit : 0)
            .AttributeU32(IflaIptun.Link, 0)
            .AttributeU32(IflaIptun.Fwmark, 0)
            .AttributeU16(IflaIptun.EncapType, 0)
            .AttributeU16(IflaIptun.EncapFlags, IflaIptun.EncapFlagCsum6)
            .AttributeU16(IflaIptun.EncapSport, 0)
            .AttributeU16(IflaIptun.EncapDport, 0);
        m.EndNested(data);
        m.EndNested(info);
        return m;
    }

    /// <summary>Reads the kind-specific data of a dumped ip6tnl link.</summary>
    public static Ip6TnlLinkSpec Decode(string name, int? mtu, ReadOnlySpan<byte> infoData)
    {
        IPAddress local = IPAddress.IPv6Any, remote = IPAddress.IPv6Any;
        byte ttl = 64, limit = DefaultEncapLimit, proto = NetlinkConstants.ProtocolIpip;
        uint flags = 0;
        foreach (var a in new NetlinkAttributes(infoData))
        {
            switch (a.Type)
            {
                case IflaIptun.Local: local = a.Address; break;
                case IflaIptun.Remote: remote = a.Address; break;
                case IflaIptun.Ttl: ttl = a.U8; break;
                case IflaIptun.EncapLimit: limit = a.U8; break;
                case IflaIptun.Flags: flags = a.U32; break;
                case IflaIptun.Proto: proto = a.U8; break;
            }
        }

        return new Ip6TnlLinkSpec(name, local, remote)
        {
            EncapLimit = (flags & IflaIptun.FlagIgnoreEncapLimit) != 0 ? null : limit,
            HopLimit = ttl,
            Mtu = mtu,
            Protocol = proto,
        };
    }
}
