using System.Net;

namespace IpoeRouter.Model;

/// <summary>
/// An address an interface should carry: either written out, or bound to a runtime fact so that
/// it follows the HGW when the prefix changes.
/// </summary>
public abstract record AddressSpec;

/// <summary>A fixed address such as <c>192.168.1.10/24</c>.</summary>
public sealed record StaticAddress(InterfaceAddress Value) : AddressSpec
{
    /// <inheritdoc/>
    public override string ToString() => Value.ToString();
}

/// <summary>
/// An address inside the /64 with <see cref="SubnetId"/> of the prefix that delegation
/// <see cref="Delegation"/> obtains, with the interface identifier <see cref="Host"/>
/// (<c>{ delegation: hgw, subnetId: 1, host: ::1 }</c>). The subnet width comes from the
/// delegated length at run time.
/// </summary>
public sealed record DelegatedAddress(string Delegation, int SubnetId, IPAddress Host) : AddressSpec
{
    /// <summary>The interface identifier used when none is given.</summary>
    public static IPAddress DefaultHost { get; } = IPAddress.Parse("::1");

    /// <inheritdoc/>
    public override string ToString() => $"{{ delegation: {Delegation}, subnetId: {SubnetId}, host: {PrefixMath.FormatAddress(Host)} }}";
}
