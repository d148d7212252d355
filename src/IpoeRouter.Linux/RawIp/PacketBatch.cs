using System.Net;
using System.Runtime.InteropServices;
using IpoeRouter.Linux.Interop;
using Tmds.Linux;

namespace IpoeRouter.Linux.RawIp;

/// <summary>
/// Packet buffers for batched socket calls (<c>recvmmsg</c>/<c>sendmmsg</c>), allocated once in
/// native memory (so never moved by the GC and never pinned per call) with their <c>mmsghdr</c>,
/// <c>iovec</c> and <c>sockaddr_in6</c> arrays. A batch is used by one thread at a time; nothing in
/// it allocates after construction.
/// </summary>
public sealed unsafe class PacketBatch : IDisposable
{
    private const int AddressSize = 28; // sizeof(struct sockaddr_in6)
    private readonly byte* _buffers;
    private readonly int* _lengths;
    private readonly bool* _truncated;
    private readonly int _stride;
    private int _disposed;

    /// <summary>
    /// Allocates <paramref name="capacity"/> slots of <paramref name="slotSize"/> bytes, each after
    /// <paramref name="headroom"/> bytes of its own that receives never touch (zeroed: room for a
    /// header to write in front of the packet, such as a TUN's virtio header; see <see cref="Framed"/>).
    /// </summary>
    public PacketBatch(int capacity, int slotSize, int headroom = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfLessThan(slotSize, 64);
        ArgumentOutOfRangeException.ThrowIfNegative(headroom);
        Capacity = capacity;
        SlotSize = slotSize;
        Headroom = headroom;
        _stride = headroom + slotSize;
        _buffers = (byte*)NativeMemory.AlignedAlloc((nuint)(capacity * (long)_stride), 64);
        new Span<byte>(_buffers, capacity * _stride).Clear();
        Messages = (MultiMessageHeader*)NativeMemory.AllocZeroed((nuint)capacity, (nuint)sizeof(MultiMessageHeader));
        Vectors = (IoVector*)NativeMemory.AllocZeroed((nuint)capacity, (nuint)sizeof(IoVector));
        Addresses = (byte*)NativeMemory.AllocZeroed((nuint)capacity, AddressSize);
        _lengths = (int*)NativeMemory.AllocZeroed((nuint)capacity, sizeof(int));
        _truncated = (bool*)NativeMemory.AllocZeroed((nuint)capacity, sizeof(bool));
    }

    /// <summary>How many packets the batch holds.</summary>
    public int Capacity { get; }

    /// <summary>The size of each packet buffer.</summary>
    public int SlotSize { get; }

    /// <summary>The bytes before each packet buffer.</summary>
    public int Headroom { get; }

    internal MultiMessageHeader* Messages { get; }

    internal IoVector* Vectors { get; }

    internal byte* Addresses { get; }

    /// <summary>The whole buffer of slot <paramref name="index"/>, to fill before a send.</summary>
    public Span<byte> Slot(int index) => new(Start(Checked(index)), SlotSize);

    /// <summary>The packet in slot <paramref name="index"/>: its first <see cref="Length"/> bytes.</summary>
    public Span<byte> Packet(int index) => new(Start(Checked(index)), _lengths[index]);

    /// <summary>The headroom of slot <paramref name="index"/> followed by its packet: what to write when a header goes in front.</summary>
    public Span<byte> Framed(int index) => new(Start(Checked(index)) - Headroom, Headroom + _lengths[index]);

    /// <summary>The length of the packet in slot <paramref name="index"/> (set by a receive, or by <see cref="SetLength"/> before a send).</summary>
    public int Length(int index) => _lengths[Checked(index)];

    /// <summary>Sets the length of the packet in slot <paramref name="index"/>.</summary>
    public void SetLength(int index, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, SlotSize);
        _lengths[Checked(index)] = length;
    }

    /// <summary>Whether the packet received in slot <paramref name="index"/> was longer than the slot and was cut (<c>MSG_TRUNC</c>).</summary>
    public bool IsTruncated(int index) => _truncated[Checked(index)];

    /// <summary>The 16 bytes of the IPv6 address of slot <paramref name="index"/>: the sender after a receive, the destination of an unconnected send.</summary>
    public Span<byte> Address(int index) => new(Addresses + Checked(index) * AddressSize + 8, 16);

    /// <summary>The IPv6 address of slot <paramref name="index"/> as an object (allocates: not for the per-packet path).</summary>
    public IPAddress AddressOf(int index) => new(Address(index));

    /// <summary>Sets the destination of slot <paramref name="index"/> for an unconnected send.</summary>
    public void SetAddress(int index, ReadOnlySpan<byte> address16)
    {
        byte* a = Addresses + Checked(index) * AddressSize;
        new Span<byte>(a, AddressSize).Clear();
        *(ushort*)a = (ushort)LibC.AF_INET6;
        address16.CopyTo(new Span<byte>(a + 8, 16));
    }

    /// <summary>Fills the headers so that slots <c>0..count-1</c> receive into their whole buffers, with the sender's address.</summary>
    internal void PrepareReceive(int count)
    {
        for (int i = 0; i < count; i++)
        {
            Vectors[i].Base = Start(i);
            Vectors[i].Length = (nuint)SlotSize;
            ref MessageHeader h = ref Messages[i].Header;
            h.Name = Addresses + i * AddressSize;
            h.NameLength = AddressSize;
            h.Vectors = Vectors + i;
            h.VectorCount = 1;
            h.Control = null;
            h.ControlLength = 0;
            h.Flags = 0;
            Messages[i].Length = 0;
        }
    }

    /// <summary>Records what a receive of <paramref name="count"/> messages returned: lengths and truncation.</summary>
    internal void CompleteReceive(int count)
    {
        for (int i = 0; i < count; i++)
        {
            uint length = Messages[i].Length;
            _truncated[i] = (Messages[i].Header.Flags & LibC.MSG_TRUNC) != 0;
            _lengths[i] = (int)Math.Min(length, (uint)SlotSize);
        }
    }

    /// <summary>Fills the headers so that slots <c>start..start+count-1</c> are sent with their <see cref="Length"/>, to their <see cref="Address"/> when <paramref name="withAddresses"/>.</summary>
    internal void PrepareSend(int start, int count, bool withAddresses)
    {
        for (int i = start; i < start + count; i++)
        {
            Vectors[i].Base = Start(i);
            Vectors[i].Length = (nuint)_lengths[i];
            ref MessageHeader h = ref Messages[i].Header;
            h.Name = withAddresses ? Addresses + i * AddressSize : null;
            h.NameLength = withAddresses ? AddressSize : 0u;
            h.Vectors = Vectors + i;
            h.VectorCount = 1;
            h.Control = null;
            h.ControlLength = 0;
            h.Flags = 0;
        }
    }

    private byte* Start(int index) => _buffers + (index * (long)_stride) + Headroom;

    private int Checked(int index) => (uint)index < (uint)Capacity ? index : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>Frees the native memory. The batch must no longer be in use by any thread.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        NativeMemory.AlignedFree(_buffers);
        NativeMemory.Free(Messages);
        NativeMemory.Free(Vectors);
        NativeMemory.Free(Addresses);
        NativeMemory.Free(_lengths);
        NativeMemory.Free(_truncated);
    }
}
