using System.Management.Automation;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>Gets the DNS forwarder settings (undeclared settings show as empty: they take their defaults).</summary>
/// <example>
/// <code>Get-IpoeDnsForwarder</code>
/// <para>Shows the DNS forwarder: the LANs it answers on, its upstreams and cache size.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "IpoeDnsForwarder")]
[OutputType(typeof(DnsForwarder))]
public sealed class GetIpoeDnsForwarderCommand : DocumentCmdlet
{
    /// <inheritdoc/>
    protected override void ProcessRecord() => WriteResource(LoadDocument().Document.DnsForwarder ?? new DnsForwarder());
}
