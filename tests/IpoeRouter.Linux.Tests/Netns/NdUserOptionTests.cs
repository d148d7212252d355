using System.Diagnostics;
using System.Text;
using IpoeRouter.Lab;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Linux.Rtnl;
using Xunit;

namespace IpoeRouter.Linux.Tests.Netns;

/// <summary>
/// The kernel passes an RA's RDNSS option up as RTM_NEWNDUSEROPT: radvd in one namespace sends RAs
/// naming 2001:db8::53, and the listener in the other (its interface accepting RAs) hears them.
/// </summary>
public sealed class NdUserOptionTests
{
    [NetnsFact]
    public void RdnssFromRadvd_ArrivesAsAnNdUserOption_OnTheInterfaceItCameIn()
    {
        using var host = new NetnsFixture();
        using var router = new NetnsFixture();
        string dir = Directory.CreateTempSubdirectory("ipoe-nduseropt-").FullName;
        Process? radvd = null;
        try
        {
            host.InNs("link set v1 name rt0");
            host.InNs($"link set rt0 netns {router.Name}");
            foreach (var (ns, key) in new[] { (host, "net/ipv6/conf/v0/accept_dad"), (router, "net/ipv6/conf/rt0/accept_dad"), (router, "net/ipv6/conf/all/forwarding") })
            {
                NetworkNamespace.Named(ns.Name).Run(() =>
                {
                    File.WriteAllText($"/proc/sys/{key}", key.EndsWith("forwarding", StringComparison.Ordinal) ? "1" : "0");
                    return 0;
                });
            }

            host.InNs("link set v0 up");
            router.InNs("link set rt0 up");
            int index = new LinkOps(host.Socket).Dump().Single(l => l.Name == "v0").Index;
            using NdUserOptionListener listener = NetworkNamespace.Named(host.Name).Run(() => NdUserOptionListener.Open(TimeSpan.FromSeconds(1)));
            File.WriteAllText(Path.Combine(dir, "radvd.conf"),
                "interface rt0 { AdvSendAdvert on; MinRtrAdvInterval 3; MaxRtrAdvInterval 4; RDNSS 2001:db8::53 { AdvRDNSSLifetime 8; }; };\n");
            var output = new StringBuilder();
            radvd = NamespaceProcess.Start(router.Name, "radvd", ["-n", "-C", Path.Combine(dir, "radvd.conf"), "-p", Path.Combine(dir, "radvd.pid"), "-m", "stderr"], output);

            NdUserOptionMessage? heard = null;
            var clock = Stopwatch.StartNew();
            while (heard is null && clock.Elapsed < TimeSpan.FromSeconds(15))
            {
                heard = listener.Receive().FirstOrDefault(m => m.InterfaceIndex == index);
            }

            Assert.True(heard is not null, $"no ND user option within 15 s; radvd said:\n{output}");
            Assert.Equal(134, heard.IcmpType);
            Assert.True(heard.Source is { IsIPv6LinkLocal: true }, $"source {heard.Source}");
            byte[] o = heard.Options;
            Assert.Equal((25, 3), (o[0], o[1]));                                                // RDNSS, 24 bytes
            Assert.Equal(8u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(o.AsSpan(4)));
            Assert.Equal(System.Net.IPAddress.Parse("2001:db8::53"), new System.Net.IPAddress(o.AsSpan(8, 16)));
        }
        finally
        {
            NamespaceProcess.Stop(radvd);
            radvd?.Dispose();
            Directory.Delete(dir, recursive: true);
        }
    }
}
