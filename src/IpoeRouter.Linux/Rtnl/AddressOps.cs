using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Netlink;

namespace IpoeRouter.Linux.Rtnl;

/// <summary>An address to put on a link. Lifetimes null mean "forever".</summary>
public sealed record AddressSpec(int Index, IPAddress Address, int PrefixLength)
{
    /// <summary>Valid lifetime in seconds.</summary>
    public uint? ValidLifetime { get; init; }

    /// <summary>Preferred lifetime in seconds (0 deprecates the address).</summary>
    public uint? PreferredLifetime { get; init; }

    /// <summary><c>IFA_F_*</c> flags to set (NODAD, NOPREFIXROUTE, ...).</summary>
    public uint Flags { get; init; }

    /// <summary><c>IFA_PROTO</c>: the owner mark (<see cref="RouteProtocol.IpoeRouter"/> for the engine's own); 0 sends none.</summary>
    public byte Protocol { get; init; }
}

/// <summary>An address as the kernel lists it (<c>ip addr show</c>).</summary>
public sealed record AddressInfo(int Index, IPAddress Address, int PrefixLength, uint Flags, byte Scope, uint ValidLifetime, uint PreferredLifetime)
{
    /// <summary>The <c>IFA_PROTO</c> owner mark, 0 when none.</summary>
    public byte Protocol { get; init; }

    /// <summary>Still running duplicate address detection: not usable for binding yet.</summary>
    public bool IsTentative => (Flags & Ifa.FlagTentative) != 0;
}

/// <summary>Addresses: list, add or replace, delete.</summary>
public sealed class AddressOps(NetlinkSocket socket)
{
    /// <summary>Every address, or those of one family. Same as <c>ip [-4|-6] addr show</c>.</summary>
    public IReadOnlyList<AddressInfo> Dump(AddressFamily? family = null)
    {
        var request = new NetlinkMessageBuilder(NetlinkMessageType.GetAddress, NetlinkFlags.Request | NetlinkFlags.Dump).IfAddrMsg(Family(family));
        return socket.Dump(request, "ip addr show").Where(m => m.Type == NetlinkMessageType.NewAddress).Select(Decode).ToList();
    }

    /// <summary>
    /// Waits until interface <paramref name="index"/> (<paramref name="name"/>, for messages) has a link-local IPv6 address that finished
    /// duplicate address detection, and returns it. A service that sends from the link-local address
    /// (DHCPv6 client, RA sender) cannot before that: the kernel refuses the source (EADDRNOTAVAIL).
    /// Throws <see cref="TimeoutException"/> naming the interface, and saying so when DAD failed.
    /// Polls every 100 ms (a startup step, not a hot path).
    /// </summary>
    public IPAddress WaitForLinkLocal(int index, string name, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var linkLocal = Dump(AddressFamily.InterNetworkV6).Where(a => a.Index == index && a.Address.IsIPv6LinkLocal).ToList();
            if (linkLocal.FirstOrDefault(a => (a.Flags & (Ifa.FlagTentative | Ifa.FlagDadFailed)) == 0) is { } ready)
            {
                return ready.Address;
            }

            if (DateTime.UtcNow >= deadline)
            {
                string state = linkLocal.Count == 0 ? "has no link-local address (is it up?)"
                    : linkLocal.Any(a => (a.Flags & Ifa.FlagDadFailed) != 0) ? $"lost duplicate address detection for {linkLocal[0].Address} (another host on the link uses it)"
                    : $"still runs duplicate address detection for {linkLocal[0].Address}";
                throw new TimeoutException($"{name} {state} after {timeout.TotalSeconds:0.#} s.");
            }

            Thread.Sleep(100);
        }
    }

    /// <summary>Adds the address or updates its lifetimes and flags (CREATE|REPLACE, idempotent). Same as <c>ip addr replace A/L dev D [valid_lft V preferred_lft P]</c>.</summary>
    public void Replace(AddressSpec spec) =>
        socket.Request(Encode(spec, NetlinkMessageType.NewAddress, NetlinkFlags.Request | NetlinkFlags.Create | NetlinkFlags.Replace),
            $"ip addr replace {spec.Address}/{spec.PrefixLength} dev #{spec.Index}");

    /// <summary>Same as <c>ip addr del A/L dev D</c>.</summary>
    public void Delete(AddressSpec spec) =>
        socket.Request(Encode(spec, NetlinkMessageType.DelAddress, NetlinkFlags.Request), $"ip addr del {spec.Address}/{spec.PrefixLength} dev #{spec.Index}");

    /// <summary>The request for <paramref name="spec"/>.</summary>
    public static NetlinkMessageBuilder Encode(AddressSpec spec, NetlinkMessageType type, NetlinkFlags flags)
    {
        var m = new NetlinkMessageBuilder(type, flags)
            .IfAddrMsg(Family(spec.Address.AddressFamily), (byte)spec.PrefixLength, (byte)(spec.Flags & 0xff), 0, spec.Index)
            .AttributeAddress(Ifa.Local, spec.Address)
            .AttributeAddress(Ifa.Address, spec.Address);
        if (spec.Flags > 0xff)
        {
            m.AttributeU32(Ifa.Flags, spec.Flags);
        }

        if (spec.Protocol != 0)
        {
            m.AttributeU8(Ifa.Protocol, spec.Protocol);
        }

        if (spec.ValidLifetime is not null || spec.PreferredLifetime is not null)
        {
            Span<byte> cache = stackalloc byte[16];
            uint valid = spec.ValidLifetime ?? Ifa.InfinityLifetime;
            BinaryPrimitives.WriteUInt32LittleEndian(cache, Math.Min(spec.PreferredLifetime ?? valid, valid));
            BinaryPrimitives.WriteUInt32LittleEndian(cache[4..], valid);
            m.Attribute(Ifa.CacheInfo, cache);
        }

        return m;
    }

    /// <summary>Reads one RTM_NEWADDR message.</summary>
    public static AddressInfo Decode(NetlinkMessage message)
    {
        ReadOnlySpan<byte> p = message.Payload;
        if (p.Length < 8)
        {
            throw new NetlinkFormatException($"ifaddrmsg of {p.Length} bytes");
        }

        int prefixLength = p[1];
        uint flags = p[2];
        byte scope = p[3];
        int index = BinaryPrimitives.ReadInt32LittleEndian(p[4..]);
        IPAddress? local = null, address = null;
        uint valid = Ifa.InfinityLifetime, preferred = Ifa.InfinityLifetime;
        byte protocol = 0;
        foreach (var a in new NetlinkAttributes(p[8..]))
        {
            switch (a.Type)
            {
                case Ifa.Local: local = a.Address; break;
                case Ifa.Address: address = a.Address; break;
                case Ifa.Flags: flags = a.U32; break;
                case Ifa.Protocol: protocol = a.U8; break;
                case Ifa.CacheInfo when a.Value.Length >= 8:
                    preferred = BinaryPrimitives.ReadUInt32LittleEndian(a.Value);
                    valid = BinaryPrimitives.ReadUInt32LittleEndian(a.Value[4..]);
                    break;
            }
        }

        return new AddressInfo(index, local ?? address ?? throw new NetlinkFormatException("address without IFA_ADDRESS"), prefixLength, flags, scope, valid, preferred)
        {
            Protocol = protocol,
        };
    }

    internal static byte Family(AddressFamily? family) => family switch
    {
        AddressFamily.InterNetwork => NetlinkConstants.FamilyInet,
        AddressFamily.InterNetworkV6 => NetlinkConstants.FamilyInet6,
        _ => 0,
    };
}
