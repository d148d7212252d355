using System.Buffers.Binary;
using System.Runtime.InteropServices;
using IpoeRouter.Linux.Interop;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace IpoeRouter.Linux.Netlink;

/// <summary>
/// An rtnetlink socket. Requests are synchronous (the kernel answers at once; a receive timeout
/// bounds the wait). Every reply must come from the kernel (port 0) and carry the request's
/// sequence number; an <c>NLMSG_ERROR</c> becomes a <see cref="NetlinkException"/> with errno and
/// the kernel's extended-ack text; an interrupted dump is reported, never returned as if whole.
/// For change events, <see cref="Subscribe"/> to groups and receive with
/// <see cref="ReceiveEventBurst"/>, which reports a full receive buffer instead of throwing.
/// </summary>
public sealed unsafe partial class NetlinkSocket : IDisposable
{
    private const int ReceiveBufferSize = 1 << 16;
    private readonly NetlinkHandle _handle;
    private readonly byte[] _receive = new byte[ReceiveBufferSize];
    private uint _sequence;

    private NetlinkSocket(NetlinkHandle handle, uint port)
    {
        _handle = handle;
        Port = port;
        _sequence = (uint)Environment.TickCount;
    }

    /// <summary>The port id the kernel assigned to this socket.</summary>
    public uint Port { get; }

    /// <summary>Opens a netlink socket (rtnetlink unless <paramref name="protocol"/> says otherwise) in the caller's network namespace.</summary>
    public static NetlinkSocket Open(TimeSpan? receiveTimeout = null, int protocol = NetlinkConstants.ProtocolRoute)
    {
        int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
        if (fd < 0)
        {
            throw Errno("socket(AF_NETLINK)");
        }

        var handle = new NetlinkHandle(fd);
        try
        {
            byte[] address = new byte[12];
            BinaryPrimitives.WriteUInt16LittleEndian(address, (ushort)AF_NETLINK);
            fixed (byte* a = address)
            {
                if (bind(fd, (sockaddr*)a, 12) != 0)
                {
                    throw Errno("bind(AF_NETLINK)");
                }

                socklen_t length = 12;
                if (getsockname(fd, (sockaddr*)a, &length) != 0)
                {
                    throw Errno("getsockname(AF_NETLINK)");
                }
            }

            SetOption(fd, SOL_NETLINK, NetlinkConstants.ExtendedAck, 1);
            TimeSpan wait = receiveTimeout ?? TimeSpan.FromSeconds(5);
            long[] timeout = [(long)wait.TotalSeconds, wait.Milliseconds * 1000L]; // struct timeval: seconds, microseconds
            fixed (long* t = timeout)
            {
                if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, t, 16) != 0)
                {
                    throw Errno("setsockopt(SO_RCVTIMEO)");
                }
            }

            return new NetlinkSocket(handle, BinaryPrimitives.ReadUInt32LittleEndian(address.AsSpan(4)));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens a socket inside the network namespace at <paramref name="namespacePath"/>
    /// (<c>/run/netns/NAME</c>). A dedicated thread enters the namespace, creates the socket and
    /// leaves again; the socket stays bound to that namespace.
    /// </summary>
    public static NetlinkSocket OpenInNamespace(string namespacePath, TimeSpan? receiveTimeout = null, int protocol = NetlinkConstants.ProtocolRoute) =>
        NetworkNamespace.AtPath(namespacePath).Run(() => Open(receiveTimeout, protocol));

    /// <summary>Joins multicast groups (<c>RTNLGRP_*</c>) to receive change events.</summary>
    public void Subscribe(params uint[] groups)
    {
        foreach (uint group in groups)
        {
            SetOption(Fd, SOL_NETLINK, NetlinkConstants.AddMembership, (int)group);
        }
    }

    /// <summary>Waits for the next datagram of events (after <see cref="Subscribe"/>); null when the receive timeout passes.</summary>
    public List<NetlinkMessage>? ReceiveEvents() => ReceiveDatagram() is { } d ? NetlinkMessage.Split(d) : null;

    /// <summary>Sends a NEW/DEL/SET request and waits for its acknowledgement; throws <see cref="NetlinkException"/> if refused.</summary>
    public void Request(NetlinkMessageBuilder message, string operation)
    {
        uint seq = Send(message, NetlinkFlags.Ack);
        while (true)
        {
            foreach (NetlinkMessage reply in ReceiveFor(seq, operation))
            {
                if (reply.Type == NetlinkMessageType.Error)
                {
                    var (errno, text) = reply.ReadError();
                    if (errno != 0)
                    {
                        throw new NetlinkException(operation, errno, text);
                    }

                    return;
                }
            }
        }
    }

    /// <summary>Sends a GET request for one object and returns the kernel's answer.</summary>
    public NetlinkMessage Query(NetlinkMessageBuilder message, string operation)
    {
        uint seq = Send(message, NetlinkFlags.None);
        while (true)
        {
            foreach (NetlinkMessage reply in ReceiveFor(seq, operation))
            {
                if (reply.Type == NetlinkMessageType.Error)
                {
                    var (errno, text) = reply.ReadError();
                    throw new NetlinkException(operation, errno, text);
                }

                return reply;
            }
        }
    }

    /// <summary>Sends a GET request with <c>NLM_F_DUMP</c> and returns every object it lists.</summary>
    public List<NetlinkMessage> Dump(NetlinkMessageBuilder message, string operation)
    {
        uint seq = Send(message, NetlinkFlags.None);
        var result = new List<NetlinkMessage>();
        bool interrupted = false;
        while (true)
        {
            foreach (NetlinkMessage reply in ReceiveFor(seq, operation))
            {
                interrupted |= reply.Flags.HasFlag(NetlinkFlags.DumpInterrupted);
                switch (reply.Type)
                {
                    case NetlinkMessageType.Done:
                        // NLMSG_DONE carries an int error: a dump the kernel could not finish (-EMSGSIZE, ...).
                        int doneError = reply.Payload.Length >= 4 ? -BinaryPrimitives.ReadInt32LittleEndian(reply.Payload) : 0;
                        if (doneError != 0)
                        {
                            throw new NetlinkException(operation, doneError, "the dump ended with an error");
                        }

                        return interrupted ? throw new NetlinkDumpInterruptedException(operation) : result;
                    case NetlinkMessageType.Error:
                        var (errno, text) = reply.ReadError();
                        throw new NetlinkException(operation, errno, text);
                    default:
                        result.Add(reply);
                        break;
                }
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        StopEventReceives();
        _handle.Dispose();
        int wake = Interlocked.Exchange(ref _wakeFd, -1);
        if (wake >= 0)
        {
            _ = close(wake); // a poll still on it returns at once (it was written first)
        }
    }

    private int Fd => (int)_handle.DangerousGetHandle();

    /// <summary>
    /// The bytes a request goes out as: the message with <paramref name="sequence"/>, port 0 (the
    /// kernel fills in the sender) and, for NEW/DEL/SET requests, <c>NLM_F_ACK</c> added.
    /// </summary>
    public static byte[] Serialize(NetlinkMessageBuilder message, uint sequence, bool ack)
    {
        byte[] bytes = message.Finish(sequence, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(6), (ushort)(message.Flags | (ack ? NetlinkFlags.Ack : NetlinkFlags.None)));
        return bytes;
    }

    private uint Send(NetlinkMessageBuilder message, NetlinkFlags extra)
    {
        uint seq = unchecked(++_sequence);
        byte[] bytes = Serialize(message, seq, extra.HasFlag(NetlinkFlags.Ack));
        byte[] kernel = new byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(kernel, (ushort)AF_NETLINK);
        fixed (byte* b = bytes)
        fixed (byte* k = kernel)
        {
            long sent;
            do
            {
                sent = sendto(Fd, b, (size_t)(ulong)bytes.Length, 0, (sockaddr*)k, 12);
            }
            while (sent < 0 && errno == EINTR);

            if (sent != bytes.Length)
            {
                throw Errno("sendto(AF_NETLINK)");
            }
        }

        return seq;
    }

    /// <summary>The messages of the next datagram that answer <paramref name="seq"/>; others (stale replies, events) are dropped.</summary>
    private IEnumerable<NetlinkMessage> ReceiveFor(uint seq, string operation)
    {
        byte[] datagram = ReceiveDatagram() ?? throw new TimeoutException($"{operation}: no answer from the kernel within the receive timeout.");
        return NetlinkMessage.Split(datagram).Where(m => m.Sequence == seq && m.Port == Port);
    }

    private byte[]? ReceiveDatagram()
    {
        byte[] from = new byte[12];
        fixed (byte* b = _receive)
        fixed (byte* f = from)
        {
            while (true)
            {
                socklen_t fromLength = 12;
                long n = recvfrom(Fd, b, (size_t)(ulong)_receive.Length, 0, (sockaddr*)f, &fromLength);
                if (n < 0)
                {
                    int e = errno;
                    if (e == EINTR)
                    {
                        continue;
                    }

                    if (e == EAGAIN)
                    {
                        return null;
                    }

                    throw Errno("recvfrom(AF_NETLINK)", e);
                }

                if (BinaryPrimitives.ReadUInt32LittleEndian(from.AsSpan(4)) != 0)
                {
                    continue; // not from the kernel: ignore
                }

                return _receive.AsSpan(0, (int)n).ToArray();
            }
        }
    }

    private static void SetOption(int fd, int level, int option, int value)
    {
        if (setsockopt(fd, level, option, &value, sizeof(int)) != 0)
        {
            throw Errno($"setsockopt({level}, {option})");
        }
    }

    private static IOException Errno(string call, int? code = null)
    {
        int e = code ?? errno;
        return new IOException($"{call} failed: {Marshalling.ErrnoName(e)} ({e})", e);
    }

    /// <summary>Closes the descriptor exactly once.</summary>
    private sealed class NetlinkHandle : SafeHandle
    {
        public NetlinkHandle(int fd)
            : base(new IntPtr(-1), ownsHandle: true) => SetHandle(new IntPtr(fd));

        public override bool IsInvalid => handle.ToInt64() < 0;

        protected override bool ReleaseHandle() => close((int)handle) == 0;
    }
}
