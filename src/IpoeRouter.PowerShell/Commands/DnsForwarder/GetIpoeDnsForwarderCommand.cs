using System.Management.Automation;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>Gets the DNS forwarder settings (undeclared settings show as empty: they take their defaults).</summary>
[Cmdlet(VerbsCommon.Get, "IpoeDnsForwarder")]
[OutputType(typeof(DnsForwarder))]
public sealed class GetIpoeDnsForwarderCommand : DocumentCmdlet
{
    /// <inheritdoc/>
    protected override void ProcessRecord() => WriteResource(LoadDocument().Document.DnsForwarder ?? new DnsForwarder());
}
