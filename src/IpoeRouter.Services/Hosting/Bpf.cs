using System.Buffers.Binary;

namespace IpoeRouter.Services.Hosting;

/// <summary>One classic BPF instruction (struct sock_filter: code, jump if true, jump if false, constant).</summary>
/// <param name="Code">The opcode (linux/filter.h BPF_* values or-ed together).</param>
/// <param name="JumpTrue">Instructions to skip when the test holds.</param>
/// <param name="JumpFalse">Instructions to skip when it does not.</param>
/// <param name="K">The constant operand.</param>
public readonly record struct BpfInstruction(ushort Code, byte JumpTrue, byte JumpFalse, uint K)
{
    /// <summary>Writes the 8 bytes of struct sock_filter (host order: x86-64 and arm64 are little-endian).</summary>
    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(destination, Code);
        destination[2] = JumpTrue;
        destination[3] = JumpFalse;
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], K);
    }
}

/// <summary>The classic BPF programs the packet sockets use, named by what they let through.</summary>
public static class Bpf
{
    private const ushort LdAbsByte = 0x30, LdAbsHalf = 0x28, LdIndHalf = 0x48, LdxMshByte = 0xb1; // BPF_LD|BPF_B|BPF_ABS …, BPF_LDX|BPF_B|BPF_MSH
    private const ushort JeqK = 0x15, JsetK = 0x45, RetK = 0x06;                                   // BPF_JMP|BPF_JEQ|BPF_K, BPF_JMP|BPF_JSET|BPF_K, BPF_RET|BPF_K

    /// <summary>Lets nothing through: a socket kept open but not listened to.</summary>
    public static IReadOnlyList<BpfInstruction> DropAll { get; } = [new(RetK, 0, 0, 0)];

    /// <summary>Lets every frame through (whole).</summary>
    public static IReadOnlyList<BpfInstruction> AcceptAll { get; } = [new(RetK, 0, 0, 0x40000)];

    /// <summary>
    /// For a SOCK_DGRAM packet socket of EtherType IPv4 (the frame starts at the IP header): UDP to
    /// <paramref name="port"/>, not a fragment; everything else is dropped in the kernel.
    /// </summary>
    public static IReadOnlyList<BpfInstruction> Ipv4UdpToPort(ushort port) =>
    [
        new(LdAbsByte, 0, 0, 9),          // 0: A = protocol
        new(JeqK, 0, 5, 17),              // 1: UDP? else drop
        new(LdAbsHalf, 0, 0, 6),          // 2: A = flags and fragment offset
        new(JsetK, 3, 0, 0x1fff),         // 3: a later fragment: drop
        new(LdxMshByte, 0, 0, 0),         // 4: X = IP header length
        new(LdIndHalf, 0, 0, 2),          // 5: A = UDP destination port
        new(JeqK, 1, 0, port),            // 6: ours? accept, else drop
        new(RetK, 0, 0, 0),               // 7: drop
        new(RetK, 0, 0, 0x40000),         // 8: accept (all of it)
    ];
}
