using System.Net;

namespace IpoeRouter.Services.DnsForwarder;

/// <summary>
/// One LAN address to serve on: the interface it belongs to (the sockets are tied to it with
/// SO_BINDTODEVICE) and the address (an IPv6 link-local one needs its <see cref="IPAddress.ScopeId"/>).
/// </summary>
public sealed record DnsListenAddress(string InterfaceName, IPAddress Address);
