using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Io;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace IpoeRouter.Linux.RawIp;

/// <summary>
/// IPv4 carried in IPv6 (next header 4, RFC 2473 / RFC 6333) through a raw socket,
/// <c>socket(AF_INET6, SOCK_RAW, IPPROTO_IPIP)</c>, for kernels without <c>ip6_tunnel</c>.
/// <para>
/// What such a socket does (checked in the lab): a receive yields only the payload, the inner IPv4
/// packet, with the sender's IPv6 address; a send takes the IPv4 packet as payload and the kernel
/// writes the IPv6 header (source from <c>bind</c> or the route, next header 4). Bound to a local
/// address it hears only packets sent to it; connected, only packets whose source is the remote
/// (the kernel's raw socket lookup compares both), and packets nobody hears are answered by the
/// kernel with an ICMPv6 parameter problem and counted as <c>Ip6InUnknownProtos</c>.
/// </para>
/// <para>
/// No silent fragmentation: <c>IPV6_MTU_DISCOVER = IPV6_PMTUDISC_DO</c>, so a packet that does not
/// fit the path MTU fails with <c>EMSGSIZE</c> instead of leaving as IPv6 fragments. (The obvious
/// <c>IPV6_DONTFRAG</c> does not do it: the kernel applies it only to UDP, ICMPv6 and
/// <c>IPPROTO_RAW</c> sockets, and a protocol-4 socket with the default <c>IPV6_PMTUDISC_WANT</c>
/// fragments.)
/// </para>
/// The socket is blocking for sends (a full send buffer holds the sender back rather than dropping)
/// and receives with <c>MSG_DONTWAIT</c>; wait with <see cref="Readiness.Wait"/> on <see cref="Handle"/>.
/// </summary>
public sealed unsafe class IpipSocket : IDisposable
{
    private readonly byte[] _remoteBytes = new byte[16];

    private IpipSocket(FileDescriptorHandle handle, IPAddress? local, IPAddress? remote)
    {
        Handle = handle;
        Local = local;
        Remote = remote;
        remote?.TryWriteBytes(_remoteBytes, out _);
    }

    /// <summary>The address the socket is bound to, or null (any).</summary>
    public IPAddress? Local { get; }

    /// <summary>The peer it is connected to, or null (unconnected: hears every sender, sends to each packet's address).</summary>
    public IPAddress? Remote { get; }

    /// <summary>The 16 bytes of <see cref="Remote"/> (zeros when unconnected), to compare senders with.</summary>
    public ReadOnlySpan<byte> RemoteBytes => _remoteBytes;

    /// <summary>The descriptor, to wait on.</summary>
    public FileDescriptorHandle Handle { get; }

    /// <summary>
    /// Opens the socket in the caller's network namespace, bound to <paramref name="local"/> when
    /// given and connected to <paramref name="remote"/> when given. Throws
    /// <see cref="SystemCallException"/> naming the call (<c>EADDRNOTAVAIL</c> from bind when the
    /// address is not on a link, or still tentative).
    /// </summary>
    public static IpipSocket Open(IPAddress? local, IPAddress? remote)
    {
        RequireIpv6(local, nameof(local));
        RequireIpv6(remote, nameof(remote));
        int fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_IPIP);
        if (fd < 0)
        {
            throw SystemCallException.FromLastError("socket(AF_INET6, SOCK_RAW, IPPROTO_IPIP)");
        }

        var handle = new FileDescriptorHandle(fd);
        try
        {
            int value = IPV6_PMTUDISC_DO;
            if (setsockopt(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, &value, sizeof(int)) != 0)
            {
                throw SystemCallException.FromLastError("setsockopt(IPV6_MTU_DISCOVER, IPV6_PMTUDISC_DO)");
            }

            if (local is not null)
            {
                sockaddr_in6 address = ToSockaddr(local);
                if (bind(fd, (sockaddr*)&address, (uint)sizeof(sockaddr_in6)) != 0)
                {
                    throw SystemCallException.FromLastError($"bind(IPIP {local})");
                }
            }

            if (remote is not null)
            {
                sockaddr_in6 address = ToSockaddr(remote);
                if (connect(fd, (sockaddr*)&address, (uint)sizeof(sockaddr_in6)) != 0)
                {
                    throw SystemCallException.FromLastError($"connect(IPIP {remote})");
                }
            }

            return new IpipSocket(handle, local, remote);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Takes up to <see cref="PacketBatch.Capacity"/> queued packets at once (<c>recvmmsg</c>,
    /// <c>MSG_DONTWAIT</c>) into <paramref name="batch"/>: their lengths, senders
    /// (<see cref="PacketBatch.Address"/>) and truncation. Returns how many, 0 when none is queued.
    /// A pending socket error (an ICMPv6 error the peer's side sent back to a connected socket) is
    /// returned in <paramref name="error"/> with 0 packets, and is consumed by that; anything else
    /// unexpected throws.
    /// </summary>
    public int Receive(PacketBatch batch, out int error)
    {
        ArgumentNullException.ThrowIfNull(batch);
        batch.PrepareReceive(batch.Capacity);
        error = 0;
        while (true)
        {
            int n = DataPathCalls.RecvMmsg(Handle.Fd, batch.Messages, (uint)batch.Capacity, MSG_DONTWAIT, null);
            if (n >= 0)
            {
                batch.CompleteReceive(n);
                return n;
            }

            int e = Marshal.GetLastPInvokeError();
            if (e == EINTR)
            {
                continue;
            }

            if (e == EAGAIN)
            {
                return 0;
            }

            if (e == EBADF || e == EFAULT || e == EINVAL || e == ENOTSOCK)
            {
                throw new SystemCallException("recvmmsg(IPIP)", e);
            }

            error = e;
            return 0;
        }
    }

    /// <summary>
    /// Sends slots <paramref name="start"/>..<paramref name="start"/>+<paramref name="count"/>-1 of
    /// <paramref name="batch"/> (<c>sendmmsg</c>): to the connected peer, or with
    /// <paramref name="toAddresses"/> each to its slot's <see cref="PacketBatch.Address"/>. Returns
    /// how many went out from <paramref name="start"/> on; when fewer than
    /// <paramref name="count"/>, <paramref name="error"/> is the errno of the first that did not go
    /// (<c>EMSGSIZE</c>: larger than the path MTU allows) and the caller skips it and sends the rest.
    /// </summary>
    public int Send(PacketBatch batch, int start, int count, bool toAddresses, out int error)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, batch.Capacity);
        error = 0;
        if (count <= 0)
        {
            return 0;
        }

        batch.PrepareSend(start, count, toAddresses);
        while (true)
        {
            int n = DataPathCalls.SendMmsg(Handle.Fd, batch.Messages + start, (uint)count, 0);
            if (n >= 0)
            {
                return n;
            }

            int e = Marshal.GetLastPInvokeError();
            if (e == EINTR)
            {
                continue;
            }

            if (e == EBADF || e == EFAULT || e == ENOTSOCK)
            {
                throw new SystemCallException("sendmmsg(IPIP)", e);
            }

            error = e;
            return 0;
        }
    }

    /// <summary>
    /// Asks for socket buffers of <paramref name="bytes"/> each way so a burst at line rate is not
    /// dropped before the receiving thread runs: <c>SO_RCVBUFFORCE</c>/<c>SO_SNDBUFFORCE</c> first
    /// (with CAP_NET_ADMIN they pass <c>net.core.rmem_max</c>, which a network namespace cannot
    /// raise), else <c>SO_RCVBUF</c>/<c>SO_SNDBUF</c> (capped). A refusal is not an error. Returns
    /// the receive buffer the kernel reports afterwards (twice what it granted, its own bookkeeping).
    /// </summary>
    public int EnlargeBuffers(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        int value = bytes;
        if (setsockopt(Handle.Fd, SOL_SOCKET, SO_RCVBUFFORCE, &value, sizeof(int)) != 0)
        {
            _ = setsockopt(Handle.Fd, SOL_SOCKET, SO_RCVBUF, &value, sizeof(int));
        }

        if (setsockopt(Handle.Fd, SOL_SOCKET, SO_SNDBUFFORCE, &value, sizeof(int)) != 0)
        {
            _ = setsockopt(Handle.Fd, SOL_SOCKET, SO_SNDBUF, &value, sizeof(int));
        }

        int granted = 0;
        socklen_t length = sizeof(int);
        return getsockopt(Handle.Fd, SOL_SOCKET, SO_RCVBUF, &granted, &length) == 0 ? granted : 0;
    }

    /// <summary>The path MTU to <see cref="Remote"/> the kernel knows (<c>getsockopt(IPV6_MTU)</c> on the connected socket), or 0 when unknown.</summary>
    public int PathMtu()
    {
        int mtu = 0;
        socklen_t length = sizeof(int);
        return getsockopt(Handle.Fd, IPPROTO_IPV6, IPV6_MTU, &mtu, &length) == 0 ? mtu : 0;
    }

    /// <summary>Closes the socket (deferred while a data-path thread still holds a reference to <see cref="Handle"/>).</summary>
    public void Dispose() => Handle.Dispose();

    private static sockaddr_in6 ToSockaddr(IPAddress address)
    {
        sockaddr_in6 a = default;
        a.sin6_family = AF_INET6;
        address.TryWriteBytes(new Span<byte>(a.sin6_addr.s6_addr, 16), out _);
        a.sin6_scope_id = (uint)address.ScopeId;
        return a;
    }

    private static void RequireIpv6(IPAddress? address, string name)
    {
        if (address is not null && address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            throw new ArgumentException($"{address} is not an IPv6 address.", name);
        }
    }
}
