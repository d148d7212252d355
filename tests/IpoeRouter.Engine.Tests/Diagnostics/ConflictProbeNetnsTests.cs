using System.Diagnostics;
using IpoeRouter.Engine.Diagnostics;
using IpoeRouter.Lab;
using IpoeRouter.Linux.Netlink;
using Xunit;

namespace IpoeRouter.Engine.Tests.Diagnostics;

/// <summary>The conflict scan against a real dnsmasq in a namespace of its own (documentation addresses only).</summary>
public sealed class ConflictProbeNetnsTests
{
    [NetnsFact]
    public void Dnsmasq_OnDnsPort53_IsFoundByNameAndPid_AsAFailWhenDnsIsNeeded()
    {
        if (!File.Exists("/usr/sbin/dnsmasq"))
        {
            Assert.Fail("dnsmasq is missing (apt-get install dnsmasq-base; build.ps1 installs it as root)");
        }

        string ns = $"ipoe-c-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
        Process? dnsmasq = null;
        NetnsFixture.Ip($"netns add {ns}");
        try
        {
            NetnsFixture.Ip($"-n {ns} link set lo up");
            NetnsFixture.Ip($"-n {ns} addr add 192.0.2.53/32 dev lo");
            dnsmasq = NamespaceProcess.Start(ns, "dnsmasq",
                ["--port=53", "--no-daemon", "--bind-interfaces", "--listen-address=192.0.2.53", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--pid-file="]);
            NetworkNamespace network = NetworkNamespace.Named(ns);

            IReadOnlyList<ConflictFinding> found = [];
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (DateTime.UtcNow < deadline && !dnsmasq.HasExited)
            {
                found = ConflictProbe.Scan([new RouterLink("lan0", 0)], [ServicePort.DnsUdp, ServicePort.DnsTcp], network);
                if (found.Count >= 2)
                {
                    break;
                }

                Thread.Sleep(100);
            }

            Assert.False(dnsmasq.HasExited, "dnsmasq exited early");
            Assert.Equal(["tcp", "udp"], found.Select(f => f.Evidence[..3]).Order());
            Assert.All(found, f =>
            {
                Assert.Equal((ConflictChecks.PortHeld, ConflictSeverity.Fail, "dnsmasq", dnsmasq.Id), (f.Check, f.Severity, f.Holder, f.Pid));
                Assert.Contains("192.0.2.53:53", f.Evidence);
                Assert.Contains("systemctl disable --now dnsmasq", f.Remedy);
            });

            // The same socket, when the document needs no DNS: a warning.
            Assert.All(ConflictProbe.Scan([], [ServicePort.Dhcp6Client], network), f => Assert.Equal(ConflictSeverity.Warning, f.Severity));

            // Another namespace does not see it: no conflict there.
            Assert.DoesNotContain(ConflictProbe.Gather().Sockets, s => s.Holders.Any(h => h.Pid == dnsmasq.Id));
        }
        finally
        {
            NamespaceProcess.Stop(dnsmasq);
            dnsmasq?.Dispose();
            NetnsFixture.Ip($"netns delete {ns}");
        }
    }
}
