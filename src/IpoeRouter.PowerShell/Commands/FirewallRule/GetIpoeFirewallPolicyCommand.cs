using System.Management.Automation;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>Gets the base chains' policies (undeclared ones show as empty: input and forward drop, output accept by default).</summary>
/// <example>
/// <code>Get-IpoeFirewallPolicy</code>
/// <para>Shows the policy of the input, forward and output chains, and whether MSS clamping is on.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "IpoeFirewallPolicy")]
[OutputType(typeof(FirewallPolicy))]
public sealed class GetIpoeFirewallPolicyCommand : DocumentCmdlet
{
    /// <inheritdoc/>
    protected override void ProcessRecord() => WriteResource(LoadDocument().Document.Firewall ?? new FirewallPolicy());
}
