using System.Net;
using IpoeRouter.Engine.Kernel;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Services.DsLite;

namespace IpoeRouter.Agent.DsLite;

/// <summary>
/// The user-space B4s the agent carries, by tunnel name. They live as long as the agent (not one
/// document's run): a new document that restarts the services does not take the LAN's IPv4 down.
/// Each B4's TUN link and raw socket are made in the router's network namespace.
/// </summary>
internal sealed class B4Carrier(NetworkNamespace ns, Action<string> log) : IDisposable
{
    private readonly Dictionary<string, Carried> _b4s = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    /// <summary>Each B4's endpoints as the planner compares them.</summary>
    public IReadOnlyDictionary<string, UserspaceTunnelState> States()
    {
        lock (_gate)
        {
            return _b4s.ToDictionary(b => b.Key, b => new UserspaceTunnelState(b.Value.Local, b.Value.Remote, b.Value.Error), StringComparer.Ordinal);
        }
    }

    /// <summary>A B4's counters, or null when none is carried under <paramref name="name"/>.</summary>
    public B4Counters? Counters(string name)
    {
        lock (_gate)
        {
            return _b4s.TryGetValue(name, out Carried? c) ? c.Pump.Counters : null;
        }
    }

    /// <summary>Opens the B4 for <paramref name="name"/> (its TUN link appears, down); one already open is kept.</summary>
    public void Open(string name)
    {
        lock (_gate)
        {
            if (_b4s.ContainsKey(name))
            {
                return;
            }

            B4Pump pump = ns.Run(() => B4Pump.Open(name));
            _b4s[name] = new Carried(pump);
            log($"b4:{name}: opened (TUN link index {pump.InterfaceIndex})");
        }
    }

    /// <summary>
    /// Points the B4 at <paramref name="local"/> → <paramref name="remote"/> (null: no path). A failure
    /// (the local address went away between the plan and now) is kept for the status and the next
    /// plan, and thrown so the pass reports it.
    /// </summary>
    public void Point(string name, IPAddress? local, IPAddress? remote)
    {
        lock (_gate)
        {
            Carried c = _b4s.TryGetValue(name, out Carried? found) ? found
                : throw new InvalidOperationException($"no user-space B4 is open for tunnel {name}");
            try
            {
                ns.Run(() =>
                {
                    c.Pump.SetEndpoints(local, remote);
                    return 0;
                });
                (c.Local, c.Remote, c.Error) = (local, remote, null);
                log(local is null || remote is null ? $"b4:{name}: no path (packets from the LAN are dropped and counted)" : $"b4:{name}: IPv4-in-IPv6 from {local} to {remote}");
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
            {
                c.Error = e.Message;
                throw new IOException($"B4 {name}: cannot point it from {local} to {remote}: {e.Message}", e);
            }
        }
    }

    /// <summary>Closes the B4 (its TUN link goes, and the routes through it with it).</summary>
    public void Close(string name)
    {
        lock (_gate)
        {
            if (_b4s.Remove(name, out Carried? c))
            {
                c.Pump.Dispose();
                log($"b4:{name}: closed");
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (Carried c in _b4s.Values)
            {
                c.Pump.Dispose();
            }

            _b4s.Clear();
        }
    }

    private sealed class Carried(B4Pump pump)
    {
        public B4Pump Pump { get; } = pump;

        public IPAddress? Local { get; set; }

        public IPAddress? Remote { get; set; }

        public string? Error { get; set; }
    }
}
