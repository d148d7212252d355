using IpoeRouter.Protocols.Wire;
using Xunit;

namespace IpoeRouter.Protocols.Tests;

/// <summary>
/// The mutation fuzz driver the codecs share (deterministic: a fixed random seed). Each round mutates
/// one of the seed packets; the parser may refuse it only with <see cref="WireFormatException"/> (at
/// an offset inside the packet), and whatever it accepts must re-encode to a fixed point. Both
/// outcomes must be common, or the mutations test nothing.
/// </summary>
internal static class MutationFuzz
{
    public static void OnlyWireFormatErrors(byte[][] seeds, int randomSeed, Func<byte[], Random, byte[]> mutate, Func<byte[], byte[]> parseAndEncode, int rounds = 20_000)
    {
        var random = new Random(randomSeed);
        int refused = 0, parsed = 0;
        for (int i = 0; i < rounds; i++)
        {
            byte[] packet = mutate(seeds[i % seeds.Length], random);
            try
            {
                byte[] again = parseAndEncode(packet);
                Assert.Equal(Convert.ToHexString(again), Convert.ToHexString(parseAndEncode(again)));
                parsed++;
            }
            catch (WireFormatException e)
            {
                Assert.InRange(e.Offset, 0, packet.Length);
                refused++;
            }
        }

        Assert.True(refused > rounds / 20 && parsed > rounds / 20, $"the mutations should both break and keep packets ({refused} refused, {parsed} parsed)");
    }
}
