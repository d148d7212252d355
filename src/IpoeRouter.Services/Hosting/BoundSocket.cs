using System.Net;

namespace IpoeRouter.Services.Hosting;

/// <summary>
/// A socket bound to a local port, as <c>ss -lunp</c> / <c>ss -ltnp</c> show it: its protocol
/// (<c>udp</c> or <c>tcp</c>), local address (<see cref="IPAddress.Any"/> or
/// <see cref="IPAddress.IPv6Any"/> for a wildcard bind) and port, the uid that made it, and the
/// processes that hold it (empty when none could be read: they belong to a user whose
/// <c>/proc/PID/fd</c> the caller may not read).
/// </summary>
public sealed record BoundSocket(string Protocol, IPAddress LocalAddress, int Port, int Uid, IReadOnlyList<PortHolderProcess> Holders)
{
    /// <summary>True when bound to a loopback address only (127.0.0.0/8, ::1).</summary>
    public bool IsLoopback => IPAddress.IsLoopback(LocalAddress);

    /// <summary>True when bound to every address of its family (0.0.0.0 or ::).</summary>
    public bool IsWildcard => LocalAddress.Equals(IPAddress.Any) || LocalAddress.Equals(IPAddress.IPv6Any);

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Protocol} {(LocalAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{LocalAddress}]" : LocalAddress.ToString())}:{Port}";
}
