using System.Net;

namespace IpoeRouter.Model;

/// <summary>Where the tunnel's remote end (the AFTR or BR) comes from.</summary>
public abstract record TunnelRemote;

/// <summary>A fixed remote address (<c>remote: 2404:8e00::feed:100</c>).</summary>
public sealed record StaticRemote(IPAddress Address) : TunnelRemote
{
    /// <inheritdoc/>
    public override string ToString() => PrefixMath.FormatAddress(Address);
}

/// <summary>A name resolved through the NGN's DNS servers (<c>remote: { fqdn: gw.transix.jp }</c>).</summary>
public sealed record FqdnRemote(string Fqdn) : TunnelRemote
{
    /// <inheritdoc/>
    public override string ToString() => "fqdn " + Fqdn;
}

/// <summary>How a remote is discovered when it is neither fixed nor a name.</summary>
public enum RemoteDiscovery
{
    /// <summary>DHCPv6 AFTR-Name, option 64 (RFC 6334).</summary>
    Dhcpv6,

    /// <summary>The provisioning server of the NGN (HB46PP).</summary>
    Hb46pp,
}

/// <summary>A remote found at run time (<c>remote: { discover: dhcpv6 }</c>: the AFTR-Name of the delegation's DHCPv6 exchange, resolved like an FQDN; hb46pp is not built yet).</summary>
public sealed record DiscoveredRemote(RemoteDiscovery Method) : TunnelRemote
{
    /// <inheritdoc/>
    public override string ToString() => "discover " + Method;
}

/// <summary>Where the tunnel's local end comes from.</summary>
public abstract record TunnelLocal;

/// <summary>The global address of an interface, followed when it changes (<c>local: { fromInterface: enp1s0 }</c>).</summary>
public sealed record InterfaceLocal(string Interface) : TunnelLocal
{
    /// <inheritdoc/>
    public override string ToString() => "from " + Interface;
}

/// <summary>A fixed local address. The seed did this and broke on every prefix change; it is allowed for lines with a fixed prefix.</summary>
public sealed record StaticLocal(IPAddress Address) : TunnelLocal
{
    /// <inheritdoc/>
    public override string ToString() => PrefixMath.FormatAddress(Address);
}
