using System.Management.Automation;
using IpoeRouter.Commands.Completion;
using IpoeRouter.Commands.Transformation;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>
/// Declares an interface or changes it in the document. Only the parameters given change;
/// switches take <c>:$false</c> to declare the opposite (<c>-AcceptRa:$false</c>).
/// </summary>
/// <example>
/// <code>Set-IpoeInterface -Name enp2s0 -Mtu 1500 -PassThru</code>
/// <para>Sets the MTU of the LAN interface enp2s0 and outputs the interface as it is written; its other properties stay.</para>
/// </example>
/// <example>
/// <code>Set-IpoeInterface -Name enp4s0 -Role Lan -Address 192.168.4.1/24 -WhatIf</code>
/// <para>Shows how a second LAN interface would be declared, without writing the document.</para>
/// </example>
[Cmdlet(VerbsCommon.Set, "IpoeInterface", SupportsShouldProcess = true)]
[OutputType(typeof(Interface))]
public sealed class SetIpoeInterfaceCommand : ClearableSetCmdlet<Interface>
{
    /// <summary>The kernel's interface name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(InterfaceNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>Wan, Lan or None.</summary>
    [Parameter]
    public InterfaceRole Role { get; set; }

    /// <summary>Administrative state.</summary>
    [Parameter]
    public SwitchParameter Up { get; set; }

    /// <summary>Link MTU.</summary>
    [Parameter]
    [ValidateRange(1280, 65535)]
    public int Mtu { get; set; }

    /// <summary>Take the IPv4 address from the HGW by DHCP.</summary>
    [Parameter]
    public SwitchParameter Dhcp4 { get; set; }

    /// <summary>Take Router Advertisements (the engine writes accept_ra 2 when forwarding is on).</summary>
    [Parameter]
    public SwitchParameter AcceptRa { get; set; }

    /// <summary>The addresses, replacing those declared: <c>'192.168.1.10/24'</c> or <c>@{ delegation='hgw'; subnetId=1; host='::1' }</c>.</summary>
    [Parameter]
    [AddressSpecTransformation]
    [AllowEmptyCollection]
    public AddressSpec[]? Address { get; set; }

    /// <inheritdoc/>
    protected override string Key => Name;

    /// <inheritdoc/>
    protected override string What => "interface";

    /// <inheritdoc/>
    protected override Interface? Find(RouterDocument document, string key) => document.Interfaces.FirstOrDefault(i => i.Name == key);

    /// <inheritdoc/>
    protected override RouterDocument With(RouterDocument document, Interface item) => document.WithInterface(item);

    /// <inheritdoc/>
    protected override Interface Build(Interface? existing, RouterDocument document)
    {
        if (!Names.IsValidInterfaceName(Name))
        {
            throw Invalid(nameof(Name), Name, $"an interface name has 1 to {Names.MaxInterfaceNameLength} characters, without '/', ':' or spaces.");
        }

        Interface current = existing ?? new Interface(Name);
        return current with
        {
            Role = Pick(nameof(Role), Role, current.Role),
            Up = Pick(nameof(Up), (bool?)Up.IsPresent, current.Up),
            Mtu = Pick(nameof(Mtu), (int?)Mtu, current.Mtu),
            Dhcp4 = Pick(nameof(Dhcp4), (bool?)Dhcp4.IsPresent, current.Dhcp4),
            AcceptRa = Pick(nameof(AcceptRa), (bool?)AcceptRa.IsPresent, current.AcceptRa),
            Addresses = Pick(nameof(Address), ValueList<AddressSpec>.From(Address), current.Addresses, ValueList<AddressSpec>.Empty),
        };
    }
}
