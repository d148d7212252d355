using System.Net.Sockets;

namespace IpoeRouter.Services.DsLite;

/// <summary>How <see cref="AftrNameResolver"/> asks the WAN's DNS servers; the defaults suit a router.</summary>
public sealed record AftrNameResolverOptions
{
    /// <summary>The servers' port (53; tests use another).</summary>
    public int Port { get; init; } = 53;

    /// <summary>How long one server gets to answer one try (and then the TCP retry of a truncated answer).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Rounds over the server list: the first asks every server in order, each later one asks again
    /// only those that were silent or said SERVFAIL. Two is one retry.
    /// </summary>
    public int Attempts { get; init; } = 2;

    /// <summary>
    /// Makes the sockets (a new one per query, so a new random source port). The default is a plain
    /// socket in the calling thread's namespace; the agent opens them in the router's namespace.
    /// </summary>
    public Func<AddressFamily, SocketType, ProtocolType, Socket> SocketFactory { get; init; } = (f, t, p) => new Socket(f, t, p);
}
