using IpoeRouter.Protocols.Dhcp6;
using IpoeRouter.Protocols.Wire;
using Xunit;

namespace IpoeRouter.Protocols.Tests;

/// <summary>
/// A mutation fuzz harness for <see cref="Dhcp6Message.Parse"/>, deterministic so CI repeats it:
/// bit flips, truncations, byte insertions and length-field overwrites of valid packets. The parser
/// may refuse a packet only with <see cref="WireFormatException"/>; anything else (an index error,
/// an overflow) is a bug. What it parses must re-encode and parse again to the same bytes.
/// (Coverage-guided fuzzing with SharpFuzz is not wired in yet.)
/// </summary>
public sealed class Dhcp6FuzzTests
{
    [Fact]
    public void Parse_MutatedPackets_OnlyEverThrowsWireFormatException() =>
        MutationFuzz.OnlyWireFormatErrors([Dhcp6LiteralTests.Solicit, Dhcp6LiteralTests.Reply], 8415, Mutate, p => Dhcp6Message.Parse(p).ToArray());

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var p = new List<byte>(seed);
        switch (random.Next(4))
        {
            case 0:
                int bit = random.Next(p.Count * 8);
                p[bit / 8] ^= (byte)(1 << (bit % 8));
                break;
            case 1:
                int from = random.Next(p.Count);
                p.RemoveRange(from, 1 + random.Next(Math.Min(8, p.Count - from)));
                break;
            case 2:
                p.Insert(random.Next(p.Count), (byte)random.Next(256));
                break;
            default:
                int at = 4 + random.Next(Math.Max(1, p.Count - 6));
                p[at] = (byte)random.Next(256);
                p[Math.Min(at + 1, p.Count - 1)] = (byte)random.Next(256);
                break;
        }

        return [.. p];
    }
}
