using System.Net;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using IpoeRouter.Protocols.Dns;
using IpoeRouter.Protocols.Wire;
using Xunit;

namespace IpoeRouter.Protocols.Tests;

/// <summary>Encode then decode gives the same message, for generated messages with shared name suffixes (so compression is exercised).</summary>
public sealed class DnsPropertyTests
{
    [Property(Arbitrary = [typeof(Messages)], MaxTest = 300)]
    public void GeneratedMessage_EncodedAndParsed_IsTheSame(DnsMessage message)
    {
        byte[] bytes = message.ToArray();
        DnsMessage parsed = DnsMessage.Parse(bytes);

        Assert.Equal((message.Id, message.Flags), (parsed.Id, parsed.Flags));
        Assert.Equal(message.Questions, parsed.Questions);
        Assert.Equal(message.Answers, parsed.Answers);
        Assert.Equal(message.Authorities, parsed.Authorities);
        Assert.Equal(message.Additionals, parsed.Additionals);
        Assert.Equal(message.Answers.Select(a => a.Name.ToString()), parsed.Answers.Select(a => a.Name.ToString())); // case kept
        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(parsed.ToArray()));
    }

    public static class Messages
    {
        public static Arbitrary<DnsMessage> Generate() =>
            (from id in Gen.Choose(0, 65535)
             from flags in Gen.Choose(0, 65535)
             from questions in Gen.ListOf(Question).Select(q => q.Take(2))
             from answers in Gen.ListOf(Record).Select(r => r.Take(6))
             from authorities in Gen.ListOf(Record).Select(r => r.Take(3))
             from additionals in Gen.ListOf(Record).Select(r => r.Take(3))
             select new DnsMessage
             {
                 Id = (ushort)id,
                 Flags = (ushort)flags,
                 Questions = [.. questions],
                 Answers = [.. answers],
                 Authorities = [.. authorities],
                 Additionals = [.. additionals],
             }).ToArbitrary();

        private static Gen<byte> Byte => Gen.Choose(0, 255).Select(b => (byte)b);

        private static Gen<uint> UInt32 => Gen.Choose(int.MinValue, int.MaxValue).Select(i => (uint)i);

        private static Gen<DnsName> Name =>
            from labels in Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(Gen.Elements("www", "Mail", "a-b", "x1", "host"), n))
            from suffix in Gen.Elements("example.com", "Example.COM", "home.arpa", "lan", "")
            select DnsName.FromLabels([.. labels, .. suffix.Split('.', StringSplitOptions.RemoveEmptyEntries)]);

        private static Gen<DnsQuestion> Question =>
            from name in Name
            from type in Gen.Elements(DnsType.A, DnsType.Aaaa, DnsType.Ptr, DnsType.Any, (DnsType)65)
            select new DnsQuestion(name, type);

        private static Gen<DnsRecord> Record =>
            from name in Name
            from ttl in UInt32
            from record in Gen.OneOf(
                Gen.ArrayOf(Byte, 4).Select(b => new DnsRecord(name, DnsType.A, DnsClass.In, ttl, new DnsAddressData(new IPAddress(b)))),
                Gen.ArrayOf(Byte, 16).Select(b => new DnsRecord(name, DnsType.Aaaa, DnsClass.In, ttl, new DnsAddressData(new IPAddress(b)))),
                from type in Gen.Elements(DnsType.Ns, DnsType.Cname, DnsType.Ptr)
                from target in Name
                select new DnsRecord(name, type, DnsClass.In, ttl, new DnsNameData(target)),
                from pref in Gen.Choose(0, 65535)
                from exchange in Name
                select new DnsRecord(name, DnsType.Mx, DnsClass.In, ttl, new DnsMxData((ushort)pref, exchange)),
                from m in Name
                from r in Name
                from n in Gen.ArrayOf(UInt32, 5)
                select new DnsRecord(name, DnsType.Soa, DnsClass.In, ttl, new DnsSoaData(m, r, n[0], n[1], n[2], n[3], n[4])),
                from type in Gen.Elements(DnsType.Txt, DnsType.Srv, DnsType.Opt, (DnsType)65)
                from cls in Gen.Choose(0, 65535)
                from data in Gen.Choose(0, 40).SelectMany(k => Gen.ArrayOf(Byte, k))
                select new DnsRecord(name, type, (DnsClass)cls, ttl, new DnsRawData(new ByteString(data))))
            select record;
    }
}
