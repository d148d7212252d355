using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Protocols.Dhcp4;

/// <summary>
/// Domain Search (RFC 3397 §2), option 119: the DNS search list, as names in DNS wire format
/// compressed with pointers (RFC 1035 §4.1.4) counted from the start of the option data. A list
/// longer than 255 bytes is split in several instances (RFC 3396), and its pointers count across them.
/// </summary>
public sealed record DomainSearchOption(IReadOnlyList<string> Domains) : Dhcp4Option
{
    /// <inheritdoc/>
    public override byte Code => Dhcp4OptionCode.DomainSearch;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w) => CompressedDomainName.WriteList(w, Domains);
}
