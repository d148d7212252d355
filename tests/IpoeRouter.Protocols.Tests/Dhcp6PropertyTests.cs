using System.Net;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using IpoeRouter.Protocols.Dhcp6;
using IpoeRouter.Protocols.Wire;
using Xunit;

namespace IpoeRouter.Protocols.Tests;

/// <summary>Encode then decode gives the same message, for generated messages.</summary>
public sealed class Dhcp6PropertyTests
{
    [Property(Arbitrary = [typeof(Messages)], MaxTest = 300)]
    public void GeneratedMessage_EncodedAndParsed_ReencodesIdentically(Dhcp6Message message)
    {
        byte[] bytes = message.ToArray();
        Dhcp6Message parsed = Dhcp6Message.Parse(bytes);

        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(parsed.ToArray()));
        Assert.Equal(message.Type, parsed.Type);
        Assert.Equal(message.TransactionId, parsed.TransactionId);
        Assert.Equal(message.Options.Count, parsed.Options.Count);
    }

    public static class Messages
    {
        private static readonly Dhcp6MessageType[] s_types = [.. Enum.GetValues<Dhcp6MessageType>().Where(t => t is not (Dhcp6MessageType.RelayForward or Dhcp6MessageType.RelayReply))];

        public static Arbitrary<Dhcp6Message> Generate() =>
            (from type in Gen.Elements(s_types)
             from xid in Gen.Choose(0, 0xFFFFFF)
             from options in Gen.ListOf(Option(2))
             select new Dhcp6Message(type, xid, options.ToList())).ToArbitrary();

        private static Gen<Dhcp6Option> Option(int depth)
        {
            Gen<byte[]> bytes(int max) => Gen.Choose(0, max).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n));
            Gen<IPAddress> v6 = Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 16).Select(b => new IPAddress(b));
            Gen<string> label = Gen.Choose(1, 10).SelectMany(n => Gen.ArrayOf(Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789-".ToCharArray()), n)).Select(c => new string(c));
            Gen<string> domain = Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(label, n)).Select(l => string.Join('.', l));
            var leaves = new List<Gen<Dhcp6Option>>
            {
                bytes(20).Select(b => (Dhcp6Option)new ClientIdOption(new DuidLl(1, new ByteString(b)))),
                Gen.Choose(0, int.MaxValue).SelectMany(t => bytes(16).Select(b => (Dhcp6Option)new ServerIdOption(new DuidLlt(1, (uint)t, new ByteString(b))))),
                Gen.Choose(0, 65535).Select(t => (Dhcp6Option)new ElapsedTimeOption((ushort)t)),
                Gen.ListOf(Gen.Choose(0, 65535).Select(c => (ushort)c)).Select(c => (Dhcp6Option)new OroOption(c.ToList())),
                Gen.Choose(0, 6).Select(s => (Dhcp6Option)new StatusCodeOption((Dhcp6Status)s, "status " + s)),
                Gen.Choose(0, 255).Select(p => (Dhcp6Option)new PreferenceOption((byte)p)),
                Gen.Constant((Dhcp6Option)new RapidCommitOption()),
                Gen.Constant((Dhcp6Option)new ReconfigureAcceptOption()),
                Gen.Choose(60, 86400).Select(s => (Dhcp6Option)new SolMaxRtOption((uint)s)),
                Gen.ListOf(v6).Select(a => (Dhcp6Option)new DnsServersOption(a.ToList())),
                Gen.ListOf(domain).Select(d => (Dhcp6Option)new DomainListOption(d.ToList())),
                domain.Select(d => (Dhcp6Option)new AftrNameOption(d)),
                bytes(12).Select(b => (Dhcp6Option)new RawOption(Dhcp6OptionCode.S46ContMapE, new ByteString(b))),
            };
            if (depth > 0)
            {
                Gen<Dhcp6Option> prefix =
                    from preferred in Gen.Choose(0, int.MaxValue)
                    from valid in Gen.Choose(0, int.MaxValue)
                    from length in Gen.Choose(0, 128)
                    from address in v6
                    from inner in Gen.ListOf(Option(0))
                    select (Dhcp6Option)new IaPrefixOption((uint)preferred, (uint)valid, (byte)length, address, inner.ToList());
                leaves.Add(prefix);
                leaves.Add(from iaid in Gen.Choose(0, int.MaxValue)
                           from t1 in Gen.Choose(0, 7200)
                           from t2 in Gen.Choose(0, 7200)
                           from inner in Gen.ListOf(Option(depth - 1))
                           select (Dhcp6Option)new IaPdOption((uint)iaid, (uint)t1, (uint)t2, inner.ToList()));
            }

            return Gen.OneOf(leaves.ToArray());
        }
    }
}
