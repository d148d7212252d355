using IpoeRouter.Protocols.Dns;
using IpoeRouter.Protocols.Wire;
using Xunit;

namespace IpoeRouter.Protocols.Tests;

/// <summary>
/// A mutation fuzz harness for <see cref="DnsMessage.Parse"/>, deterministic: bit flips,
/// truncations, insertions and overwrites of a query, an answer with a pointer and an NXDOMAIN with
/// a compressed SOA. Only <see cref="WireFormatException"/> may come out (no index error, no endless
/// pointer chase); what parses must re-encode to a fixed point.
/// </summary>
public sealed class DnsFuzzTests
{
    [Fact]
    public void Parse_MutatedMessages_OnlyEverThrowsWireFormatException() =>
        MutationFuzz.OnlyWireFormatErrors([DnsLiteralTests.Query, DnsLiteralTests.Answer, DnsLiteralTests.NxDomain], 1035, Mutate, p => DnsMessage.Parse(p).ToArray());

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var p = new List<byte>(seed);
        int at = random.Next(p.Count);
        switch (random.Next(5))
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
            case 3:
                p[at] = 0xC0; // a pointer, often a loop or forward
                p[Math.Min(at + 1, p.Count - 1)] = (byte)random.Next(p.Count);
                break;
            default:
                p[at] = (byte)random.Next(256);
                break;
        }

        return [.. p];
    }
}
