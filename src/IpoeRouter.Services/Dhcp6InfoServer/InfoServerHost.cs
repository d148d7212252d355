using System.Net;
using System.Net.Sockets;
using IpoeRouter.Protocols.Dhcp6;
using IpoeRouter.Protocols.Wire;
using IpoeRouter.Services.Hosting;

namespace IpoeRouter.Services.Dhcp6InfoServer;

/// <summary>
/// The stateless DHCPv6 server of one LAN: a UDP socket on port 547 bound to that interface only
/// (SO_BINDTODEVICE, so other LANs and the WAN never reach it), a member of
/// All_DHCP_Relay_Agents_and_Servers (ff02::1:2), answering each Information-Request with
/// <see cref="InfoServer.Answer"/>. A malformed datagram is dropped and logged (at most once a minute); the server keeps serving.
/// </summary>
public sealed class InfoServerHost : IDisposable
{
    /// <summary>The DHCPv6 server port.</summary>
    public const int ServerPort = 547;

    private readonly Socket _socket;
    private readonly string _interfaceName;
    private readonly Action<string> _log;
    private readonly LogRateLimiter _malformed;
    private InfoServerConfig _config;

    private InfoServerHost(Socket socket, string interfaceName, InfoServerConfig config, Action<string> log)
    {
        _socket = socket;
        _interfaceName = interfaceName;
        _config = config;
        _log = log;
        _malformed = new LogRateLimiter(log);
    }

    /// <summary>A host on a socket made elsewhere (tests: a loopback socket, no interface needed).</summary>
    internal static InfoServerHost Create(Socket socket, string interfaceName, InfoServerConfig config, Action<string> log) =>
        new(socket, interfaceName, config, log);

    /// <summary>Answers given so far.</summary>
    public long Answered => Interlocked.Read(ref _answered);

    private long _answered;

    /// <summary>When the last answer went out, or null.</summary>
    public DateTimeOffset? LastAnswered { get; private set; }

    /// <summary>
    /// Opens the server's socket on <paramref name="interfaceName"/>; the port held by another program
    /// (a dnsmasq or kea listening on every interface) is a <see cref="PortInUseException"/> naming it.
    /// </summary>
    public static InfoServerHost Open(string interfaceName, int interfaceIndex, InfoServerConfig config, Action<string> log)
    {
        Socket socket = InterfaceSocket.Udp(interfaceName, ServerPort, "DHCPv6 server",
            "another DHCPv6 server such as dnsmasq or kea-dhcp6, so the router's stateless DHCPv6 server can run");
        try
        {
            socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.AddMembership, new IPv6MulticastOption(IPAddress.Parse("ff02::1:2"), interfaceIndex));
            return new InfoServerHost(socket, interfaceName, config, log);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>New answers from now on (the DNS servers or search list changed).</summary>
    public void Update(InfoServerConfig config) => Volatile.Write(ref _config, config);

    /// <summary>Serves until <paramref name="stop"/> is cancelled.</summary>
    public Task RunAsync(TimeProvider time, CancellationToken stop) => Hosting.ServerLoop.RunAsync(
        _socket,
        new IPEndPoint(IPAddress.IPv6Any, 0),
        Dhcp6Message.Parse,
        () => { },
        (length, from, e) => _malformed.Write("malformed", time.GetUtcNow(), $"DHCPv6 server on {_interfaceName}: dropped a malformed datagram of {length} bytes from {from}: {e.Message}"),
        async (request, from) =>
        {
            if (InfoServer.Answer(request, Volatile.Read(ref _config)) is not { } reply)
            {
                return;
            }

            try
            {
                await _socket.SendToAsync(reply.ToArray(), SocketFlags.None, from, stop).ConfigureAwait(false);
                Interlocked.Increment(ref _answered);
                LastAnswered = time.GetUtcNow();
            }
            catch (SocketException e)
            {
                _log($"DHCPv6 server on {_interfaceName}: the answer to {from} was not sent ({e.SocketErrorCode}: {e.Message})");
            }
        },
        stop);

    /// <inheritdoc/>
    public void Dispose() => _socket.Dispose();
}
