using System.Buffers.Binary;
using System.ComponentModel;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Services.Hosting;

/// <summary>One frame a <see cref="PacketSocket"/> received: its length, whether it was ours going out, the sender's MAC, and whether its checksum was left to hardware.</summary>
/// <param name="Length">Bytes written to the buffer (the frame without its link-layer header).</param>
/// <param name="Outgoing">True for a frame this host sent (PACKET_OUTGOING): a packet socket sees both directions.</param>
/// <param name="SourceHardwareAddress">The sender's link-layer address.</param>
/// <param name="ChecksumNotReady">
/// True when the kernel says the transport checksum is not filled in yet (TP_STATUS_CSUMNOTREADY:
/// checksum offload, as over a veth from a local sender); the frame is good, its checksum field is not.
/// </param>
public readonly record struct PacketReceived(int Length, bool Outgoing, ByteString SourceHardwareAddress, bool ChecksumNotReady);

/// <summary>
/// A link-layer socket (AF_PACKET, SOCK_DGRAM, packet(7)) on one interface for one EtherType: frames
/// arrive without their Ethernet header and before the IP layer, so neither reverse-path filtering nor
/// a missing address keeps them away, and frames leave with the header the kernel writes. An optional
/// classic BPF program (socket(7) SO_ATTACH_FILTER) is attached before the socket is bound, so nothing
/// else is ever queued on it. Each frame comes with PACKET_AUXDATA, which says whether its checksum was
/// left to offloading. Needs CAP_NET_RAW; belongs to the network namespace of the opening thread.
/// </summary>
public sealed class PacketSocket : IDisposable
{
    private const int SolSocket = 1, SoAttachFilter = 26;                   // asm-generic/socket.h
    private const int SolPacket = 263, PacketAuxData = 8;                   // linux/socket.h, linux/if_packet.h
    private const byte PacketOutgoing = 4;                                  // linux/if_packet.h
    private const uint TpStatusCsumNotReady = 1 << 3;                       // linux/if_packet.h
    private static readonly byte[] s_broadcast = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

    private readonly Socket _socket;
    private readonly int _interfaceIndex;
    private readonly ushort _etherType;

    private PacketSocket(Socket socket, int interfaceIndex, ushort etherType)
    {
        _socket = socket;
        _interfaceIndex = interfaceIndex;
        _etherType = etherType;
    }

    /// <summary>
    /// Opens the socket on <paramref name="interfaceName"/> for <paramref name="etherType"/> (ETH_P_IP,
    /// ETH_P_ARP …), with <paramref name="filter"/> (classic BPF instructions, as <see cref="Bpf"/> builds them) when given.
    /// </summary>
    public static PacketSocket Open(string interfaceName, ushort etherType, IReadOnlyList<BpfInstruction>? filter = null)
    {
        int index = (int)IfNameToIndex(interfaceName);
        if (index == 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new SocketException(errno, $"no interface {interfaceName} ({new Win32Exception(errno).Message})");
        }

        // Protocol 0: the socket hears nothing until bound, so no frame slips in before the filter.
        var socket = new Socket(AddressFamily.Packet, SocketType.Dgram, 0);
        try
        {
            if (filter is { Count: > 0 })
            {
                Attach(socket, filter);
            }

            socket.SetRawSocketOption(SolPacket, PacketAuxData, BitConverter.GetBytes(1));
            socket.Bind(new LinkLayerEndPoint(etherType, index, []));
            return new PacketSocket(socket, index, etherType);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Waits for the next frame and reads it into <paramref name="buffer"/>.</summary>
    public async ValueTask<PacketReceived> ReceiveAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        byte[] name = new byte[20];    // struct sockaddr_ll
        byte[] control = new byte[64]; // struct tpacket_auxdata in a cmsghdr
        SocketMessage m = await SocketMessages.ReceiveAsync(_socket, buffer, name, control, cancellationToken).ConfigureAwait(false);
        ReadOnlySpan<byte> aux = SocketMessages.Find(control.AsSpan(0, m.ControlLength), SolPacket, PacketAuxData);
        bool notReady = aux.Length >= 4 && (BinaryPrimitives.ReadUInt32LittleEndian(aux) & TpStatusCsumNotReady) != 0; // tp_status comes first
        int macLength = Math.Min((int)name[11], 8);
        return new PacketReceived(m.Length, name[10] == PacketOutgoing, new ByteString(name.AsSpan(12, macLength).ToArray()), notReady);
    }

    /// <summary>Sends <paramref name="payload"/> to the link's broadcast address (ff:ff:ff:ff:ff:ff).</summary>
    public async ValueTask SendBroadcastAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        await _socket.SendToAsync(payload, SocketFlags.None, new LinkLayerEndPoint(_etherType, _interfaceIndex, s_broadcast), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Replaces the socket's filter (<see cref="Bpf.DropAll"/> to hear nothing for now without closing
    /// it: a socket opened in a namespace stays usable from any thread). Frames already queued stay queued.
    /// </summary>
    public void SetFilter(IReadOnlyList<BpfInstruction> filter) => Attach(_socket, filter);

    /// <inheritdoc/>
    public void Dispose() => _socket.Dispose();

    private static void Attach(Socket socket, IReadOnlyList<BpfInstruction> filter)
    {
        byte[] program = new byte[filter.Count * 8];
        for (int i = 0; i < filter.Count; i++)
        {
            filter[i].WriteTo(program.AsSpan(i * 8, 8));
        }

        GCHandle pinned = GCHandle.Alloc(program, GCHandleType.Pinned);
        try
        {
            byte[] fprog = new byte[16]; // struct sock_fprog { unsigned short len; struct sock_filter *filter; }
            BinaryPrimitives.WriteUInt16LittleEndian(fprog, (ushort)filter.Count);
            BinaryPrimitives.WriteInt64LittleEndian(fprog.AsSpan(8), pinned.AddrOfPinnedObject());
            socket.SetRawSocketOption(SolSocket, SoAttachFilter, fprog); // the kernel copies the program
        }
        finally
        {
            pinned.Free();
        }
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need AllowUnsafeBlocks, which this project does without
    [DllImport("libc", EntryPoint = "if_nametoindex", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern uint IfNameToIndex(string name);
#pragma warning restore SYSLIB1054

    /// <summary>
    /// struct sockaddr_ll (packet(7)) to bind and send with: family, protocol (network order), interface
    /// index, hardware type, packet type, address length, address (8 bytes). .NET knows AF_PACKET but
    /// has no endpoint for it.
    /// </summary>
    private sealed class LinkLayerEndPoint(ushort etherType, int interfaceIndex, byte[] hardwareAddress) : EndPoint
    {
        private const int Size = 20;

        public override AddressFamily AddressFamily => AddressFamily.Packet;

        public override SocketAddress Serialize()
        {
            var a = new SocketAddress(AddressFamily.Packet, Size);
            Span<byte> b = a.Buffer.Span;
            BinaryPrimitives.WriteUInt16BigEndian(b[2..], etherType);
            BinaryPrimitives.WriteInt32LittleEndian(b[4..], interfaceIndex);
            b[11] = (byte)hardwareAddress.Length;
            hardwareAddress.CopyTo(b[12..]);
            return a;
        }
    }
}
