using System.Net;
using System.Runtime.InteropServices;
using IpoeRouter.LabAftr;
using IpoeRouter.Services.DsLite;

// ipoe-lab-aftr: the two ends of the lab's DS-Lite softwire, each run in its own namespace.
//   aftr --address A [--tun aftr0] [--tun-address 192.0.0.1/29] [--mtu 1460] [--no-default-route]
//   b4 --local L --remote A [--tun b4tun] [--tun-address 192.0.0.2/29] [--mtu 1460] [--no-default-route]
// and for either: [--no-offload] [--txqueuelen N] (B4PumpOptions; the defaults are the pump's).
// Each prints "ready" once relaying, runs until SIGTERM or SIGINT, then prints its counters.
if (args.Length == 0 || args[0] is not ("aftr" or "b4"))
{
    Console.Error.WriteLine("usage: ipoe-lab-aftr aftr --address A [--tun N] [--tun-address P] [--mtu M] [--no-default-route] | b4 --local L --remote A [--tun N] [--tun-address P] [--mtu M] [--no-default-route]; either: [--no-offload] [--txqueuelen N]");
    return 2;
}

var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (int i = 1; i < args.Length; i++)
{
    if (args[i] is "--no-default-route" or "--no-offload")
    {
        options[args[i]] = "1";
    }
    else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
    {
        options[args[i]] = args[++i];
    }
    else
    {
        Console.Error.WriteLine($"unexpected argument {args[i]}");
        return 2;
    }
}

string Option(string name, string fallback) => options.TryGetValue(name, out string? v) ? v : fallback;
void Log(string line)
{
    Console.Out.WriteLine(line);
    Console.Out.Flush();
}

using var done = new ManualResetEventSlim();
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; done.Set(); });
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; done.Set(); });
int mtu = int.Parse(Option("--mtu", "1460"), System.Globalization.CultureInfo.InvariantCulture);
var pumpOptions = new B4PumpOptions
{
    Offloads = !options.ContainsKey("--no-offload"),
    TransmitQueueLength = int.Parse(Option("--txqueuelen", B4PumpOptions.Default.TransmitQueueLength.ToString(System.Globalization.CultureInfo.InvariantCulture)), System.Globalization.CultureInfo.InvariantCulture),
};

if (args[0] == "aftr")
{
    using var relay = new AftrRelay(Option("--tun", "aftr0"), IPAddress.Parse(Option("--address", "")), pumpOptions, Log);
    // The default route points into the TUN: every IPv4 address not on the inet side is behind the (one) B4,
    // which the replies to a B4's LAN hosts need once the masquerade has put their addresses back.
    TunSetup.Apply(relay.TunName, Option("--tun-address", "192.0.0.1/29"), mtu, defaultRoute: !options.ContainsKey("--no-default-route"));
    Log($"ready aftr {relay.TunName}");
    done.Wait();
    Log("aftr: " + relay.Describe());
}
else
{
    using B4Pump pump = B4Pump.Open(Option("--tun", "b4tun"), pumpOptions);
    TunSetup.Apply(pump.Name, Option("--tun-address", "192.0.0.2/29"), mtu, defaultRoute: !options.ContainsKey("--no-default-route"));
    pump.SetEndpoints(IPAddress.Parse(Option("--local", "")), IPAddress.Parse(Option("--remote", "")));
    Log($"ready b4 {pump.Name}");
    long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    done.Wait();
    long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
    B4Counters c = pump.Counters;
    Log($"b4: to AFTR {c.PacketsToAftr} packets {c.BytesToAftr} bytes in {c.TunReads} TUN reads; from AFTR {c.PacketsFromAftr} packets {c.BytesFromAftr} bytes in {c.TunWrites} TUN writes; " +
        $"dropped: no path {c.DroppedNoPath}, not IPv4 {c.DroppedNotIpv4FromTun}/{c.DroppedNotIpv4FromAftr}, too big {c.DroppedTooBig}, send errors {c.DroppedSendError}, " +
        $"wrong source {c.DroppedWrongSource}, TUN errors {c.DroppedTunWriteError}; last error {c.LastError ?? "none"}; " +
        $"the process allocated {allocated} bytes while relaying");
}

return 0;
