using System.Management.Automation;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>Sets the policies of the input, forward and output chains, and MSS clamping.</summary>
/// <example>
/// <code>Set-IpoeFirewallPolicy -Input Drop -Forward Drop -Output Accept</code>
/// <para>Drops what no rule accepts on the way in and through, and lets the router itself send anything.</para>
/// </example>
/// <example>
/// <code>Set-IpoeFirewallPolicy -ClampMss</code>
/// <para>Clamps the TCP MSS of forwarded connections to the path MTU (useful through the tunnel).</para>
/// </example>
[Cmdlet(VerbsCommon.Set, "IpoeFirewallPolicy", SupportsShouldProcess = true)]
[OutputType(typeof(FirewallPolicy))]
public sealed class SetIpoeFirewallPolicyCommand : ClearableSetCmdlet<FirewallPolicy>
{
    /// <summary>Policy of the input chain.</summary>
    [Parameter]
    public ChainPolicy Input { get; set; }

    /// <summary>Policy of the forward chain.</summary>
    [Parameter]
    public ChainPolicy Forward { get; set; }

    /// <summary>Policy of the output chain.</summary>
    [Parameter]
    public ChainPolicy Output { get; set; }

    /// <summary>Clamp TCP MSS to the route MTU through tunnels.</summary>
    [Parameter]
    public SwitchParameter ClampMss { get; set; }

    /// <inheritdoc/>
    protected override string Key => "firewall";

    /// <inheritdoc/>
    protected override string What => "firewall policy";

    /// <inheritdoc/>
    protected override FirewallPolicy? Find(RouterDocument document, string key) => document.Firewall;

    /// <inheritdoc/>
    protected override RouterDocument With(RouterDocument document, FirewallPolicy item) =>
        document with { Firewall = item == new FirewallPolicy() ? null : item };

    /// <inheritdoc/>
    protected override FirewallPolicy Build(FirewallPolicy? existing, RouterDocument document)
    {
        FirewallPolicy current = existing ?? new FirewallPolicy();
        return current with
        {
            Input = Pick(nameof(Input), (ChainPolicy?)Input, current.Input),
            Forward = Pick(nameof(Forward), (ChainPolicy?)Forward, current.Forward),
            Output = Pick(nameof(Output), (ChainPolicy?)Output, current.Output),
            ClampMss = Pick(nameof(ClampMss), (bool?)ClampMss.IsPresent, current.ClampMss),
        };
    }
}
