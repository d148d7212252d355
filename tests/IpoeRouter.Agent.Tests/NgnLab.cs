using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using IpoeRouter.Lab;
using IpoeRouter.Linux.Netlink;

namespace IpoeRouter.Agent.Tests;

/// <summary>
/// The rest of the NGN behind a <see cref="RouterLab"/>'s HGW, for DS-Lite: an AFTR reached through
/// the HGW's IPv6 routing and an IPv4 "internet" behind it.
/// <code>
/// hgw  to-aftr 2001:db8:aa::fe/64 ── up6 2001:db8:aa::1/64  aftr (ipoe-lab-aftr: aftr0 192.0.0.1/29, learns the B4)
/// aftr inet0 203.0.113.1/24 (nft masquerade out of it) ── eth0 203.0.113.80/24  inet
/// </code>
/// The HGW's DNS (<see cref="RouterLab.StartHgwDns"/>) gives aftr.example and dslite.example.net as
/// 2001:db8:aa::1, and www.example.com as the inet host. Both namespaces and the AFTR process go on
/// dispose (by pid), also when the test failed.
/// </summary>
internal sealed class NgnLab : IDisposable
{
    public static readonly IPAddress AftrAddress = IPAddress.Parse("2001:db8:aa::1");
    public static readonly IPAddress AftrPublic = IPAddress.Parse("203.0.113.1");
    public static readonly IPAddress InetHost = IPAddress.Parse("203.0.113.80");

    private readonly StringBuilder _aftrLog = new();
    private Process? _aftrProcess;

    public NgnLab(RouterLab lab)
    {
        string id = lab.Hgw[..^"-hgw".Length];
        Aftr = id + "-aftr";
        Inet = id + "-inet";
        try
        {
            foreach (string n in new[] { Aftr, Inet })
            {
                NetnsFixture.Ip($"netns add {n}");
                NetnsFixture.Ip($"-n {n} link set lo up");
            }

            NetnsFixture.Ip($"-n {lab.Hgw} link add to-aftr type veth peer name up6 netns {Aftr}");
            NetnsFixture.Ip($"-n {Aftr} link add inet0 type veth peer name eth0 netns {Inet}");
            NetnsFixture.Ip($"-n {lab.Hgw} addr add 2001:db8:aa::fe/64 dev to-aftr nodad");
            NetnsFixture.Ip($"-n {lab.Hgw} link set to-aftr up");
            NetnsFixture.Ip($"-n {Aftr} addr add {AftrAddress}/64 dev up6 nodad");
            NetnsFixture.Ip($"-n {Aftr} link set up6 up");
            NetnsFixture.Ip($"-n {Aftr} -6 route add default via 2001:db8:aa::fe");
            NetnsFixture.Ip($"-n {Aftr} addr add {AftrPublic}/24 dev inet0");
            NetnsFixture.Ip($"-n {Aftr} link set inet0 up");
            NetnsFixture.Ip($"-n {Inet} addr add {InetHost}/24 dev eth0");
            NetnsFixture.Ip($"-n {Inet} link set eth0 up");
            new IpoeRouter.Linux.Sysctl.SysctlAccess(NetworkNamespace.Named(Aftr)).Write("net/ipv4/ip_forward", "1");
            Run(Aftr, "nft", "add table ip lab; add chain ip lab post { type nat hook postrouting priority 100; }; add rule ip lab post oifname inet0 masquerade");
            StartAftr();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Aftr { get; }

    public string Inet { get; }

    /// <summary>Starts the lab AFTR (again) and waits for it to relay.</summary>
    public void StartAftr()
    {
        int from = AftrLog().Length;
        _aftrProcess = NamespaceProcess.Start(Aftr, DotnetHost(), [Path.Combine(AppContext.BaseDirectory, "ipoe-lab-aftr.dll"), "aftr", "--address", AftrAddress.ToString()], _aftrLog);
        WaitForAftrLog("ready aftr", TimeSpan.FromSeconds(15), from);
    }

    /// <summary>Stops the lab AFTR (SIGTERM, by pid): its TUN goes, nothing answers through the softwire.</summary>
    public void StopAftr()
    {
        NamespaceProcess.Stop(_aftrProcess);
        _aftrProcess = null;
    }

    public string AftrLog()
    {
        lock (_aftrLog)
        {
            return _aftrLog.ToString();
        }
    }

    /// <summary>Waits until the AFTR's output after <paramref name="from"/> holds <paramref name="text"/>; the timeout shows the output.</summary>
    public void WaitForAftrLog(string text, TimeSpan timeout, int from = 0)
    {
        var clock = Stopwatch.StartNew();
        while (AftrLog().IndexOf(text, Math.Min(from, AftrLog().Length), StringComparison.Ordinal) < 0)
        {
            if (clock.Elapsed > timeout || _aftrProcess is { HasExited: true })
            {
                throw new TimeoutException($"the lab AFTR did not say '{text}' within {timeout}; it said:\n{AftrLog()}");
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>
    /// A TCP listener on the inet host (a socket this process makes inside <see cref="Inet"/>): answers
    /// each connection with a greeting naming the peer it saw, then closes.
    /// </summary>
    public InetService Listen(int port) => new(NetworkNamespace.Named(Inet).Run(() =>
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(InetHost, port));
        s.Listen(8);
        return s;
    }));

    /// <summary>Runs a program in a namespace; throws with its output when it fails.</summary>
    public static string Run(string ns, string program, params string[] args)
    {
        var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "netns", "exec", ns, program }.Concat(args))
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        Task<string> err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0 ? output : throw new InvalidOperationException($"{program} {string.Join(' ', args)} in {ns} failed ({p.ExitCode}): {output}{err.Result}");
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public void Dispose()
    {
        NamespaceProcess.Stop(_aftrProcess);
        foreach (string n in new[] { Inet, Aftr })
        {
            try
            {
                NetnsFixture.Ip($"netns delete {n}");
            }
            catch (InvalidOperationException)
            {
                // never created
            }
        }
    }
}

/// <summary>A TCP service on the inet host: each accepted connection is greeted with the peer address it came from.</summary>
internal sealed class InetService : IDisposable
{
    private readonly Socket _listener;
    private readonly Task _serving;

    public InetService(Socket listener)
    {
        _listener = listener;
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>The peers seen, in order.</summary>
    public List<IPAddress> Seen { get; } = [];

    private async Task ServeAsync()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            using (client)
            {
                var peer = (IPEndPoint)client.RemoteEndPoint!;
                lock (Seen)
                {
                    Seen.Add(peer.Address);
                }

                await client.SendAsync(Encoding.ASCII.GetBytes($"hello {peer.Address}\n"));
                client.Shutdown(SocketShutdown.Both);
            }
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }
}
