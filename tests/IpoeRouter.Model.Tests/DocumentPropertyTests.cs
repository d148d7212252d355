using System.Globalization;
using System.Net;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using IpoeRouter.Model.Yaml;
using Xunit;

namespace IpoeRouter.Model.Tests;

public sealed class DocumentPropertyTests
{
    [Property(Arbitrary = [typeof(GeneratedDocuments)], MaxTest = 200)]
    public void GeneratedDocument_WrittenAndRead_IsEqual(RouterDocument document)
    {
        DocumentReadResult read = DocumentReader.Read(DocumentWriter.Write(document), "generated.yaml");

        Assert.Empty(read.Diagnostics);
        Assert.Equal(document, read.Document);
    }

    [Property(Arbitrary = [typeof(GeneratedDocuments)], MaxTest = 100)]
    public void GeneratedDocument_Written_LoadsAndWritesTheSameText(RouterDocument document)
    {
        string text = DocumentWriter.Write(document);

        LoadedDocument loaded = DocumentLoader.Load(text, "generated.yaml");

        Assert.Equal(document, loaded.Declared);
        Assert.Equal(text, DocumentWriter.Write(loaded.Declared));
    }

    /// <summary>
    /// Valid documents of interfaces (static addresses, MTUs, flags) and sysctl settings. Names are
    /// unique and each interface draws its addresses from its own block, so every document validates.
    /// </summary>
    public static class GeneratedDocuments
    {
        private static readonly string[] s_interfaceNames =
            ["enp1s0", "enp2s0", "enp3s0", "enp4s0", "eth0", "eth1", "lan0", "wan0", "br-lan", "wg0", "vlan.100", "ip6tnl1"];

        private static readonly string[] s_sysctlPrefixes = ["net.ipv4", "net.ipv6", "net.core", "kernel", "vm"];

        private static readonly string[] s_sysctlKeys =
            ["ip_forward", "tcp_syncookies", "conf.all.rp_filter", "conf.default.rp_filter", "conf.all.forwarding", "somaxconn", "panic", "swappiness", "tcp_rmem", "neigh.default.gc_thresh3"];

        private static readonly string[] s_sysctlWords = ["cubic", "bbr", "fq_codel", "4096 131072 6291456", "yes", "-1", "0x10"];

        private static readonly string[] s_v4Blocks = ["192.0.2", "198.51.100", "203.0.113"];

        private static readonly bool?[] s_flags = [null, true, false];

        public static Arbitrary<RouterDocument> Documents() =>
            (from interfaces in Interfaces()
             from sysctl in SysctlSettings()
             select RouterDocument.Empty with { Interfaces = interfaces, Sysctl = sysctl })
            .ToArbitrary();

        private static Gen<ValueList<Interface>> Interfaces() =>
            from names in Gen.Shuffle(s_interfaceNames).SelectMany(all => Gen.Choose(0, all.Length).Select(n => all.Take(n).ToArray()))
            from items in Gen.CollectToArray(names.Select((name, index) => (name, index)), t => Interface(t.name, t.index))
            select ValueList<Interface>.From(items);

        private static Gen<Interface> Interface(string name, int index) =>
            from role in Gen.Elements(Enum.GetValues<InterfaceRole>())
            from up in Gen.Elements(s_flags)
            from dhcp4 in Gen.Elements(s_flags)
            from acceptRa in Gen.Elements(s_flags)
            from mtu in Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(1280, 65535).Select(m => (int?)m))
            from count in Gen.Choose(0, 3)
            from addresses in Gen.ArrayOf(Address(index), count)
            select new Interface(name)
            {
                Role = role,
                Up = up,
                Dhcp4 = dhcp4,
                AcceptRa = acceptRa,
                Mtu = mtu,
                Addresses = ValueList<AddressSpec>.From(addresses),
            };

        /// <summary>An address in the interface's own block, so that interfaces never share a subnet: a /28 of each IPv4 documentation /24, or 2001:db8:INDEX::/48.</summary>
        private static Gen<AddressSpec> Address(int index)
        {
            Gen<AddressSpec> v4 =
                from block in Gen.Elements(s_v4Blocks)
                from host in Gen.Choose(1, 14)
                from length in Gen.Choose(28, 32)
                select (AddressSpec)new StaticAddress(new InterfaceAddress(IPAddress.Parse($"{block}.{(index * 16) + host}"), length));
            Gen<AddressSpec> v6 =
                from subnet in Gen.Choose(0, 0xffff)
                from host in Gen.Choose(1, 0xffff)
                from length in Gen.Choose(48, 128)
                select (AddressSpec)new StaticAddress(new InterfaceAddress(
                    IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"2001:db8:{index:x}:{subnet:x}::{host:x}")), length));
            return Gen.OneOf(v4, v6);
        }

        private static Gen<ValueList<SysctlSetting>> SysctlSettings() =>
            from count in Gen.Choose(0, 8)
            from settings in Gen.ArrayOf(Sysctl(), count)
            select ValueList<SysctlSetting>.From(settings.DistinctBy(s => s.Name));

        private static Gen<SysctlSetting> Sysctl() =>
            from prefix in Gen.Elements(s_sysctlPrefixes)
            from key in Gen.Elements(s_sysctlKeys)
            from value in Gen.OneOf(
                Gen.Choose(0, 65535).Select(n => n.ToString(CultureInfo.InvariantCulture)),
                Gen.Elements(s_sysctlWords))
            select new SysctlSetting(prefix + "." + key, value);
    }
}
