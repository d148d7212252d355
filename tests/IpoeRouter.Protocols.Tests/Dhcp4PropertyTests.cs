using System.Net;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using IpoeRouter.Protocols.Dhcp4;
using IpoeRouter.Protocols.Wire;
using Xunit;

namespace IpoeRouter.Protocols.Tests;

/// <summary>Encode then decode gives the same message, for generated messages.</summary>
public sealed class Dhcp4PropertyTests
{
    [Property(Arbitrary = [typeof(Messages)], MaxTest = 300)]
    public void GeneratedMessage_EncodedAndParsed_ReencodesIdentically(Dhcp4Message message)
    {
        byte[] bytes = message.ToArray();
        Dhcp4Message parsed = Dhcp4Message.Parse(bytes);

        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(parsed.ToArray()));
        Assert.True(bytes.Length >= Dhcp4Message.MinimumLength);
        Assert.Equal((message.Op, message.TransactionId, message.Flags, message.HardwareAddress), (parsed.Op, parsed.TransactionId, parsed.Flags, parsed.HardwareAddress));
        Assert.Equal((message.ClientAddress, message.YourAddress, message.RelayAgentAddress), (parsed.ClientAddress, parsed.YourAddress, parsed.RelayAgentAddress));
        Assert.Equal(message.Options.Select(o => o.Code), parsed.Options.Select(o => o.Code));
        Assert.Equal(message.Options.Select(o => Convert.ToHexString(o.GetBody())), parsed.Options.Select(o => Convert.ToHexString(o.GetBody())));
    }

    public static class Messages
    {
        private static readonly byte[] s_knownCodes =
        [
            1, 3, 6, 12, 15, 42, 50, 51, 52, 53, 54, 55, 58, 59, 61, 119, 121,
        ];

        public static Arbitrary<Dhcp4Message> Generate() =>
            (from op in Gen.Elements(Dhcp4OpCode.BootRequest, Dhcp4OpCode.BootReply)
             from htype in Byte
             from mac in Bytes(16)
             from hops in Byte
             from xid in Gen.Choose(int.MinValue, int.MaxValue)
             from secs in Gen.Choose(0, 65535)
             from broadcast in Gen.Elements(Dhcp4Flags.None, Dhcp4Flags.Broadcast)
             from addresses in Gen.ArrayOf(V4, 4)
             from sname in Bytes(64)
             from file in Bytes(128)
             from options in Gen.ListOf(Option())
             select new Dhcp4Message
             {
                 Op = op,
                 HardwareType = htype,
                 HardwareAddress = new ByteString(mac),
                 Hops = hops,
                 TransactionId = (uint)xid,
                 Seconds = (ushort)secs,
                 Flags = broadcast,
                 ClientAddress = addresses[0],
                 YourAddress = addresses[1],
                 NextServerAddress = addresses[2],
                 RelayAgentAddress = addresses[3],
                 ServerName = new ByteString(sname),
                 File = new ByteString(file),
                 Options = [.. options.DistinctBy(o => o.Code)],
             }).ToArbitrary();

        private static Gen<byte> Byte => Gen.Choose(0, 255).Select(b => (byte)b);

        private static Gen<IPAddress> V4 => Gen.ArrayOf(Byte, 4).Select(b => new IPAddress(b));

        private static Gen<uint> UInt32 => Gen.Choose(int.MinValue, int.MaxValue).Select(i => (uint)i);

        private static Gen<byte[]> Bytes(int max) => Gen.Choose(0, max).SelectMany(n => Gen.ArrayOf(Byte, n));

        private static Gen<string> Text(int max) => Bytes(max).Select(b => new string([.. b.Select(c => (char)c)]));

        private static Gen<Dhcp4Option> Option()
        {
            Gen<string> label = Gen.Choose(1, 63).SelectMany(n => Gen.ArrayOf(Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789-".ToCharArray()), n)).Select(c => new string(c));
            Gen<string> suffix = Gen.Elements("example", "home.example", "lab.home.example", "test", "invalid");
            Gen<string> domain = Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(label, n)).SelectMany(l => suffix.Select(s => string.Join('.', [.. l, s])));
            Gen<ClasslessRoute> route =
                from width in Gen.Choose(0, 32)
                from address in V4
                from router in V4
                select new ClasslessRoute(new IPNetwork(Masked(address, width), width), router);
            Gen<byte> unknownCode = Gen.Choose(1, 254).Select(c => (byte)c).Where(c => !s_knownCodes.Contains(c));
            return Gen.OneOf(
                V4.Select(a => (Dhcp4Option)new SubnetMaskOption(a)),
                Gen.ListOf(V4).Select(a => (Dhcp4Option)new RouterOption([.. a])),
                Gen.ListOf(V4).Select(a => (Dhcp4Option)new DomainNameServerOption([.. a])),
                Gen.ListOf(V4).Select(a => (Dhcp4Option)new NtpServersOption([.. a])),
                Text(300).Select(t => (Dhcp4Option)new HostNameOption(t)),
                Text(40).Select(t => (Dhcp4Option)new DomainNameOption(t)),
                V4.Select(a => (Dhcp4Option)new RequestedIpAddressOption(a)),
                V4.Select(a => (Dhcp4Option)new ServerIdentifierOption(a)),
                UInt32.Select(s => (Dhcp4Option)new LeaseTimeOption(s)),
                UInt32.Select(s => (Dhcp4Option)new RenewalTimeOption(s)),
                UInt32.Select(s => (Dhcp4Option)new RebindingTimeOption(s)),
                Gen.Choose(1, 3).Select(v => (Dhcp4Option)new OptionOverloadOption((Dhcp4OptionOverload)v)),
                Gen.Choose(1, 8).Select(t => (Dhcp4Option)new MessageTypeOption((Dhcp4MessageType)t)),
                Bytes(20).Select(c => (Dhcp4Option)new ParameterRequestListOption(c)),
                Byte.SelectMany(t => Bytes(20).Select(id => (Dhcp4Option)new ClientIdentifierOption(t, new ByteString(id)))),
                Gen.ListOf(domain).Select(d => (Dhcp4Option)new DomainSearchOption([.. d])),
                Gen.ListOf(route).Select(r => (Dhcp4Option)new ClasslessStaticRouteOption([.. r])),
                unknownCode.SelectMany(c => Bytes(600).Select(b => (Dhcp4Option)new RawDhcp4Option(c, new ByteString(b)))));
        }

        private static IPAddress Masked(IPAddress address, int width)
        {
            byte[] b = address.GetAddressBytes();
            uint value = (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
            uint mask = width == 0 ? 0 : uint.MaxValue << (32 - width);
            return new IPAddress([.. BitConverter.GetBytes(value & mask).Reverse()]);
        }
    }
}
