using System.Net.Sockets;

namespace IpoeRouter.Services.DnsForwarder;

/// <summary>The forwarder host's settings; the defaults suit a home router.</summary>
public sealed record DnsForwarderOptions
{
    /// <summary>The port served on the LAN addresses (53; tests use a high one).</summary>
    public int Port { get; init; } = 53;

    /// <summary>The port of the upstream servers.</summary>
    public int UpstreamPort { get; init; } = 53;

    /// <summary>How long one upstream gets to answer before the next is tried.</summary>
    public TimeSpan UpstreamTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a client's TCP connection may stay idle (RFC 7766 §6.2.3 suggests seconds).</summary>
    public TimeSpan TcpIdleTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The most client TCP connections at once; more are closed at once.</summary>
    public int MaxTcpConnections { get; init; } = 64;

    /// <summary>The most UDP queries waiting on an upstream at once; more are dropped.</summary>
    public int MaxPendingQueries { get; init; } = 256;

    /// <summary>
    /// Makes the sockets that talk to upstreams (a new one per query, so a random source port). The
    /// default is a plain socket in the calling thread's namespace; tests open them in a lab namespace.
    /// </summary>
    public Func<AddressFamily, SocketType, ProtocolType, Socket> UpstreamSocketFactory { get; init; } = (f, t, p) => new Socket(f, t, p);
}
