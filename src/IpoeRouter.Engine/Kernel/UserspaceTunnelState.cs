using System.Net;

namespace IpoeRouter.Engine.Kernel;

/// <summary>
/// A user-space B4 as the agent carries it: its TUN link is in the snapshot's links; this is where
/// its raw IPv6 socket points. Both null: open, with no path (IPv4 read from the TUN is dropped and counted).
/// </summary>
/// <param name="Local">The WAN address the IPv4-in-IPv6 packets leave from.</param>
/// <param name="Remote">The AFTR they go to (and the only source accepted back).</param>
/// <param name="Error">Why the last change of endpoints failed (e.g. the local address went away), or null.</param>
public sealed record UserspaceTunnelState(IPAddress? Local, IPAddress? Remote, string? Error = null);
