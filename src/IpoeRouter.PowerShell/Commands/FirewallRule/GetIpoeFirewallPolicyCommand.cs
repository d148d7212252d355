using System.Management.Automation;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>Gets the base chains' policies (undeclared ones show as empty: input and forward drop, output accept by default).</summary>
[Cmdlet(VerbsCommon.Get, "IpoeFirewallPolicy")]
[OutputType(typeof(FirewallPolicy))]
public sealed class GetIpoeFirewallPolicyCommand : DocumentCmdlet
{
    /// <inheritdoc/>
    protected override void ProcessRecord() => WriteResource(LoadDocument().Document.Firewall ?? new FirewallPolicy());
}
