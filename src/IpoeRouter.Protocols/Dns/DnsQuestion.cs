namespace IpoeRouter.Protocols.Dns;

/// <summary>One entry of the question section (RFC 1035 §4.1.2): QNAME, QTYPE, QCLASS.</summary>
public sealed record DnsQuestion(DnsName Name, DnsType Type, DnsClass Class = DnsClass.In)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Name}/{Type}/{Class}";
}
