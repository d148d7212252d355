using IpoeRouter.Engine.Loop;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Linux.Nft;
using IpoeRouter.Linux.Rtnl;

namespace IpoeRouter.Agent.Causes;

/// <summary>
/// The kernel's change events as causes: rtnetlink (links, IPv4/IPv6 addresses with their lifetime
/// changes, main-table routes with the RA's default route) and nftables (a committed transaction by
/// another process: the generation moved). Each listener has a thread of its own that blocks in
/// recv and posts a burst as it comes; the loop's settle window makes it one pass. The agent's own
/// changes come back too (a NEWGEN names the committing thread, not the process, so its own commits
/// cannot be told apart cheaply) and give one more pass, which finds the generation it recorded and
/// nothing to do.
/// </summary>
internal sealed class KernelCauses : IDisposable
{
    private static readonly TimeSpan s_receiveTimeout = TimeSpan.FromMinutes(10); // a blocked receive ends at once on Dispose: an idle listener need not wake
    private readonly RtnlEventListener _rtnl;
    private readonly NftEventListener? _nft;
    private readonly Thread[] _threads;
    private volatile bool _stopped;

    private KernelCauses(NetworkNamespace ns, ReconcileLoop loop, TimeProvider time, Action<string> log)
    {
        _rtnl = ns.Run(() => RtnlEventListener.Open(ns, s_receiveTimeout));
        try
        {
            _nft = ns.Run(() => NftEventListener.Open(ns, s_receiveTimeout));
        }
        catch (IOException e)
        {
            log($"firewall: cannot hear nftables changes ({e.Message}); a hand edit of the table is found by the resync only");
        }

        _threads =
        [
            new Thread(() => Listen(_rtnl.Receive, Map, loop, time, log)) { IsBackground = true, Name = "rtnl-events" },
            .. _nft is { } nft ? [new Thread(() => Listen(nft.Receive, Map, loop, time, log)) { IsBackground = true, Name = "nft-events" }] : Array.Empty<Thread>(),
        ];
        foreach (Thread t in _threads)
        {
            t.Start();
        }
    }

    /// <summary>Opens the listeners in <paramref name="ns"/> and starts posting to <paramref name="loop"/>.</summary>
    public static KernelCauses Start(NetworkNamespace ns, ReconcileLoop loop, TimeProvider time, Action<string> log) => new(ns, loop, time, log);

    /// <inheritdoc/>
    public void Dispose()
    {
        _stopped = true;
        _rtnl.Dispose(); // ends a receive blocked in the thread at once
        _nft?.Dispose();
        foreach (Thread t in _threads)
        {
            t.Join(TimeSpan.FromSeconds(3));
        }
    }

    /// <summary>Receives and posts until disposed; a receive that fails is an overflow (everything is read again).</summary>
    private void Listen<T>(Func<IReadOnlyList<T>> receive, Func<T, (CauseKind Kind, string Detail)?> map, ReconcileLoop loop, TimeProvider time, Action<string> log)
    {
        while (!_stopped)
        {
            IReadOnlyList<T> events;
            try
            {
                events = receive();
            }
            catch (IOException e)
            {
                log($"reconcile: reading kernel events failed ({e.Message}); everything is read again");
                loop.Post(new Cause(CauseKind.Overflow, e.Message, time.GetUtcNow()));
                Thread.Sleep(TimeSpan.FromSeconds(1));
                continue;
            }

            foreach (T e in events)
            {
                if (map(e) is { } cause)
                {
                    loop.Post(new Cause(cause.Kind, cause.Detail, time.GetUtcNow()));
                }
            }
        }
    }

    private static (CauseKind, string)? Map(RtnlEvent e) => e.Kind switch
    {
        RtnlEventKind.Link => (CauseKind.Link, e.Summary),
        RtnlEventKind.Address => (CauseKind.Address, e.Summary),
        RtnlEventKind.Route => (CauseKind.Route, e.Summary),
        RtnlEventKind.Overflow => (CauseKind.Overflow, e.Summary),
        _ => null, // Unknown: nothing the engine declares changed that it can tell
    };

    private static (CauseKind, string)? Map(NftEvent e) => e.Kind switch
    {
        NftEventKind.Generation => (CauseKind.Firewall, e.Summary),
        NftEventKind.Overflow => (CauseKind.Overflow, e.Summary),
        _ => null,
    };
}
