using System.Text;
using IpoeRouter.Protocols.Wire;

namespace IpoeRouter.Protocols.Dhcp4;

/// <summary>
/// Host Name (RFC 2132 §3.14), option 12: the client's name, NVT ASCII, not terminated. Bytes map
/// to characters one to one (Latin-1), so whatever a client sent is written back unchanged.
/// </summary>
public sealed record HostNameOption(string Name) : Dhcp4Option
{
    /// <inheritdoc/>
    public override byte Code => Dhcp4OptionCode.HostName;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w) => w.WriteBytes(Encoding.Latin1.GetBytes(Name));
}

/// <summary>
/// Domain Name (RFC 2132 §3.17), option 15: the domain the client should use for DNS resolution,
/// as text (not DNS wire format). Bytes map to characters one to one (Latin-1), so a trailing NUL
/// some servers send is kept.
/// </summary>
public sealed record DomainNameOption(string Name) : Dhcp4Option
{
    /// <inheritdoc/>
    public override byte Code => Dhcp4OptionCode.DomainName;

    /// <inheritdoc/>
    protected override void WriteBody(WireWriter w) => w.WriteBytes(Encoding.Latin1.GetBytes(Name));
}
