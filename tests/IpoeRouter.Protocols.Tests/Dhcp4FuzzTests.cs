using IpoeRouter.Protocols.Dhcp4;
using IpoeRouter.Protocols.Wire;
using Xunit;

namespace IpoeRouter.Protocols.Tests;

/// <summary>
/// A mutation fuzz harness for <see cref="Dhcp4Message.Parse"/>, deterministic so CI repeats it:
/// bit flips, truncations, byte insertions and option-byte overwrites of a valid DISCOVER and ACK.
/// The parser may refuse a packet only with <see cref="WireFormatException"/>; anything else (an
/// index error, an overflow, an endless pointer chase) is a bug. What it parses must re-encode and
/// parse again to the same bytes.
/// </summary>
public sealed class Dhcp4FuzzTests
{
    /// <summary>Where the options start: the BOOTP header and the magic cookie come first.</summary>
    private const int OptionsOffset = 240;

    [Fact]
    public void Parse_MutatedPackets_OnlyEverThrowsWireFormatException() =>
        MutationFuzz.OnlyWireFormatErrors([Dhcp4LiteralTests.Discover, Dhcp4LiteralTests.Ack], 2131, Mutate, p => Dhcp4Message.Parse(p).ToArray());

    /// <summary>One mutation; most land among the options, where the lengths and pointers are.</summary>
    private static byte[] Mutate(byte[] seed, Random random)
    {
        var p = new List<byte>(seed);
        int end = p.LastIndexOf(0xff) + 1;
        int at = random.Next(4) == 0 ? random.Next(p.Count) : OptionsOffset + random.Next(end - OptionsOffset);
        switch (random.Next(4))
        {
            case 0:
                p[at] ^= (byte)(1 << random.Next(8));
                break;
            case 1:
                p.RemoveRange(at, 1 + random.Next(Math.Min(8, p.Count - at)));
                break;
            case 2:
                p.Insert(at, (byte)random.Next(256));
                break;
            default:
                p[at] = (byte)random.Next(256);
                p[Math.Min(at + 1, p.Count - 1)] = (byte)random.Next(256);
                break;
        }

        return [.. p];
    }
}
