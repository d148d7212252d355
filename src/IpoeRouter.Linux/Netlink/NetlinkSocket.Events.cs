using System.Buffers.Binary;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace IpoeRouter.Linux.Netlink;

// The event side: multicast receives that report an overflow instead of throwing, and drain a burst.
public sealed unsafe partial class NetlinkSocket
{
    private int _wakeFd = -1; // an eventfd that ends a blocked event receive (OpenForEvents makes it)
    private volatile bool _eventsStopped;

    /// <summary>
    /// Ends an event receive blocked in another thread at once, and makes every later one return
    /// empty: how a listener's thread is stopped without waiting for its receive timeout (so the
    /// timeout can be long and an idle listener does not wake).
    /// </summary>
    public void StopEventReceives()
    {
        _eventsStopped = true;
        if (_wakeFd >= 0)
        {
            ulong one = 1;
            _ = write(_wakeFd, &one, sizeof(ulong));
        }
    }

    /// <summary>
    /// Asks for a receive buffer of <paramref name="bytes"/> so a burst of events does not overflow
    /// it: <c>SO_RCVBUFFORCE</c> first (root may exceed <c>net.core.rmem_max</c>), else
    /// <c>SO_RCVBUF</c> (capped at <c>rmem_max</c>). A refusal is not an error: the socket keeps
    /// what it has. Returns the size the kernel reports afterwards (<c>getsockopt(SO_RCVBUF)</c>,
    /// which counts twice what was granted, for the kernel's own bookkeeping).
    /// </summary>
    public int EnlargeReceiveBuffer(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        int value = bytes;
        if (setsockopt(Fd, SOL_SOCKET, SO_RCVBUFFORCE, &value, sizeof(int)) != 0)
        {
            _ = setsockopt(Fd, SOL_SOCKET, SO_RCVBUF, &value, sizeof(int));
        }

        int granted = 0;
        socklen_t length = sizeof(int);
        return getsockopt(Fd, SOL_SOCKET, SO_RCVBUF, &granted, &length) == 0 ? granted : 0;
    }

    /// <summary>
    /// Receives one datagram of events (after <see cref="Subscribe"/>): with <paramref name="wait"/>
    /// it blocks up to the receive timeout, without it (<c>MSG_DONTWAIT</c>) it takes only what is
    /// already queued. A full receive buffer (<c>ENOBUFS</c>) comes back as
    /// <see cref="NetlinkEventStatus.Overflow"/>, not as an exception; nothing as
    /// <see cref="NetlinkEventStatus.Empty"/>. Safe against a concurrent <see cref="Dispose"/>: the
    /// descriptor stays open until a receive in progress returns (within the timeout); a receive
    /// started after it throws <see cref="ObjectDisposedException"/>.
    /// </summary>
    public NetlinkEventDatagram ReceiveEventDatagram(bool wait)
    {
        bool added = false;
        _handle.DangerousAddRef(ref added);
        try
        {
            return ReceiveEvent(wait);
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Waits up to the receive timeout for a datagram of events, then takes every datagram already
    /// queued without waiting, at most <paramref name="maxDatagrams"/> in all, so a burst comes out
    /// as one batch. Empty when the timeout passed with nothing; never holds
    /// <see cref="NetlinkEventStatus.Empty"/> entries. Same overflow and dispose rules as
    /// <see cref="ReceiveEventDatagram"/>.
    /// </summary>
    public IReadOnlyList<NetlinkEventDatagram> ReceiveEventBurst(int maxDatagrams)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxDatagrams);
        bool added = false;
        _handle.DangerousAddRef(ref added);
        try
        {
            NetlinkEventDatagram first = ReceiveEvent(wait: true);
            if (first.Status == NetlinkEventStatus.Empty)
            {
                return [];
            }

            var burst = new List<NetlinkEventDatagram> { first };
            while (burst.Count < maxDatagrams && ReceiveEvent(wait: false) is { Status: not NetlinkEventStatus.Empty } next)
            {
                burst.Add(next);
            }

            return burst;
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    private NetlinkEventDatagram ReceiveEvent(bool wait)
    {
        if (_eventsStopped)
        {
            return NetlinkEventDatagram.Empty;
        }

        if (wait && _wakeFd >= 0)
        {
            if (!WaitReadable())
            {
                return NetlinkEventDatagram.Empty;
            }

            wait = false; // something is queued (or an error such as ENOBUFS is pending): take it without blocking
        }

        byte[] from = new byte[12];
        int flags = MSG_TRUNC | (wait ? 0 : MSG_DONTWAIT);
        fixed (byte* b = _receive)
        fixed (byte* f = from)
        {
            while (true)
            {
                socklen_t fromLength = 12;
                long n = recvfrom(Fd, b, (size_t)(ulong)_receive.Length, flags, (sockaddr*)f, &fromLength);
                if (n < 0)
                {
                    int e = errno;
                    if (e == EINTR)
                    {
                        continue;
                    }

                    if (e == EAGAIN)
                    {
                        return NetlinkEventDatagram.Empty;
                    }

                    if (e == ENOBUFS)
                    {
                        return NetlinkEventDatagram.Overflow;
                    }

                    throw Errno("recvfrom(AF_NETLINK)", e);
                }

                if (BinaryPrimitives.ReadUInt32LittleEndian(from.AsSpan(4)) != 0)
                {
                    continue; // not from the kernel: ignore
                }

                int length = (int)Math.Min(n, int.MaxValue);
                return new NetlinkEventDatagram(NetlinkEventStatus.Datagram, _receive.AsSpan(0, Math.Min(length, _receive.Length)).ToArray(), length);
            }
        }
    }

    /// <summary>Waits (poll) until the socket is readable, up to the receive timeout; false when it timed out or <see cref="StopEventReceives"/> was called.</summary>
    private bool WaitReadable()
    {
        pollfd* fds = stackalloc pollfd[2];
        fds[0].fd = Fd;
        fds[0].events = POLLIN;
        fds[1].fd = _wakeFd;
        fds[1].events = POLLIN;
        while (true)
        {
            int n = poll(fds, 2, _eventTimeoutMilliseconds);
            if (n < 0 && errno == EINTR)
            {
                continue;
            }

            if (n < 0)
            {
                throw Errno("poll(AF_NETLINK)");
            }

            return n > 0 && !_eventsStopped && fds[1].revents == 0 && fds[0].revents != 0;
        }
    }

    private int _eventTimeoutMilliseconds = -1;

    /// <summary>
    /// Opens a socket in <paramref name="ns"/> for events: the receive buffer enlarged to
    /// <paramref name="receiveBufferBytes"/> when the kernel allows it (<see cref="EnlargeReceiveBuffer"/>,
    /// the size granted in <paramref name="granted"/>), then subscribed to <paramref name="groups"/>.
    /// </summary>
    public static NetlinkSocket OpenForEvents(NetworkNamespace ns, TimeSpan receiveTimeout, int protocol, int receiveBufferBytes, uint[] groups, out int granted)
    {
        ArgumentNullException.ThrowIfNull(ns);
        NetlinkSocket socket = ns.OpenSocket(receiveTimeout, protocol);
        try
        {
            granted = socket.EnlargeReceiveBuffer(receiveBufferBytes);
            socket.Subscribe(groups);
            socket._wakeFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
            if (socket._wakeFd < 0)
            {
                throw Errno("eventfd");
            }

            socket._eventTimeoutMilliseconds = receiveTimeout == Timeout.InfiniteTimeSpan ? -1 : (int)Math.Min(receiveTimeout.TotalMilliseconds, int.MaxValue);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// One burst of events (<see cref="ReceiveEventBurst"/>) decoded: each datagram by
    /// <paramref name="decode"/>, an overflow as <paramref name="overflow"/>'s event, in the kernel's order.
    /// </summary>
    public IReadOnlyList<T> ReceiveEvents<T>(int maxDatagrams, Func<NetlinkEventDatagram, IEnumerable<T>> decode, Func<T> overflow)
    {
        ArgumentNullException.ThrowIfNull(decode);
        ArgumentNullException.ThrowIfNull(overflow);
        var events = new List<T>();
        foreach (NetlinkEventDatagram datagram in ReceiveEventBurst(maxDatagrams))
        {
            if (datagram.Status == NetlinkEventStatus.Overflow)
            {
                events.Add(overflow());
                continue;
            }

            events.AddRange(decode(datagram));
        }

        return events;
    }
}
