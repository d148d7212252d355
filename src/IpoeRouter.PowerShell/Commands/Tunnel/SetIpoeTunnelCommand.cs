using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using IpoeRouter.Commands.Completion;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>
/// Declares an IPv4-over-IPv6 tunnel or changes it. <c>-Aftr TransixEast</c> fills in a known AFTR
/// address; <c>-RemoteFqdn gw.transix.jp</c> resolves it through the NGN's DNS at run time. A new
/// tunnel takes its local address from <c>-LocalFrom</c>, or from the document's only WAN interface.
/// </summary>
/// <example>
/// <code>Set-IpoeTunnel -Name ip6tnl1 -Aftr TransixEast -LocalFrom enp1s0</code>
/// <para>Points the DS-Lite tunnel at the AFTR of transix (NTT East), its local end following the address of the WAN enp1s0.</para>
/// </example>
/// <example>
/// <code>Set-IpoeTunnel -Name ip6tnl1 -Remote 2404:8e00::feed:100 -Mtu 1460</code>
/// <para>Gives the AFTR by its address and sets the tunnel MTU.</para>
/// </example>
[Cmdlet(VerbsCommon.Set, "IpoeTunnel", SupportsShouldProcess = true, DefaultParameterSetName = AddressSet)]
[OutputType(typeof(Tunnel))]
public sealed class SetIpoeTunnelCommand : ClearableSetCmdlet<Tunnel>
{
    private const string AddressSet = "Address";
    private const string AftrSet = "Aftr";
    private const string FqdnSet = "Fqdn";
    private const string DiscoverSet = "Discover";

    /// <summary>The tunnel interface's name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>The AFTR's IPv6 address.</summary>
    [Parameter(ParameterSetName = AddressSet)]
    public IPAddress? Remote { get; set; }

    /// <summary>A known AFTR whose address is filled in.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AftrSet)]
    public KnownAftr Aftr { get; set; }

    /// <summary>The AFTR's name, resolved through the NGN's DNS servers.</summary>
    [Parameter(Mandatory = true, ParameterSetName = FqdnSet)]
    [ValidateNotNullOrEmpty]
    public string? RemoteFqdn { get; set; }

    /// <summary>How the AFTR is found at run time: Dhcpv6 takes the AFTR-Name (option 64) of the delegation's DHCPv6 exchange.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DiscoverSet)]
    public RemoteDiscovery DiscoverRemote { get; set; }

    /// <summary>What carries the packets: Auto (the kernel's ip6tnl when it has ip6_tunnel, else ipoe-agent's user-space B4), Kernel or Userspace.</summary>
    [Parameter]
    public TunnelBackend Backend { get; set; }

    /// <summary>What the health probe pings: an IPv4 address through the tunnel, or a global IPv6 address (default: the AFTR's 192.0.0.1, else its IPv6 address).</summary>
    [Parameter]
    public IPAddress? Probe { get; set; }

    /// <summary>The interface whose global IPv6 address is the local end (followed when it changes).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(InterfaceNameCompleter))]
    public string? LocalFrom { get; set; }

    /// <summary>A fixed local address (only for lines with a fixed prefix).</summary>
    [Parameter]
    public IPAddress? LocalAddress { get; set; }

    /// <summary>DsLite (built), MapE or Ipip (modelled, not built yet).</summary>
    [Parameter]
    public TunnelKind Kind { get; set; }

    /// <summary>Link MTU (default 1460).</summary>
    [Parameter]
    [ValidateRange(1280, 65535)]
    public int Mtu { get; set; }

    /// <summary>Outer hop limit (default 64).</summary>
    [Parameter]
    [ValidateRange(1, 255)]
    public int HopLimit { get; set; }

    /// <summary>RFC 2473 encapsulation limit; leave out for none.</summary>
    [Parameter]
    [ValidateRange(0, 255)]
    public int EncapLimit { get; set; }

    /// <summary>Route IPv4 by default through this tunnel (default on for DS-Lite).</summary>
    [Parameter]
    public SwitchParameter DefaultRoute { get; set; }

    /// <inheritdoc/>
    protected override string Key => Name;

    /// <inheritdoc/>
    protected override string What => "tunnel";

    /// <inheritdoc/>
    protected override Tunnel? Find(RouterDocument document, string key) => document.Tunnels.FirstOrDefault(t => t.Name == key);

    /// <inheritdoc/>
    protected override RouterDocument With(RouterDocument document, Tunnel item) => document.WithTunnel(item);

    /// <inheritdoc/>
    protected override Tunnel Build(Tunnel? existing, RouterDocument document)
    {
        if (!Names.IsValidInterfaceName(Name))
        {
            throw Invalid(nameof(Name), Name, $"a tunnel name has 1 to {Names.MaxInterfaceNameLength} characters, without '/', ':' or spaces.");
        }

        TunnelRemote? remote = ParameterSetName switch
        {
            AftrSet => new StaticRemote(AftrCatalog.AddressOf(Aftr)),
            FqdnSet when Names.IsValidDomainName(RemoteFqdn) => new FqdnRemote(RemoteFqdn!),
            FqdnSet => throw Invalid(nameof(RemoteFqdn), RemoteFqdn ?? string.Empty, "a domain name such as gw.transix.jp."),
            DiscoverSet => new DiscoveredRemote(DiscoverRemote),
            _ when Remote is null => existing?.Remote,
            _ when Remote.AddressFamily != AddressFamily.InterNetworkV6 => throw Invalid(nameof(Remote), Remote.ToString(), "the AFTR is reached over IPv6; give its IPv6 address."),
            _ => new StaticRemote(Remote),
        } ?? throw Required(nameof(Remote), "the AFTR's address (-Remote), a known AFTR (-Aftr TransixEast) or its name (-RemoteFqdn).");

        if (Probe is { AddressFamily: AddressFamily.InterNetworkV6 } p6 && !PrefixMath.IsGlobalUnicast6(p6))
        {
            throw Invalid(nameof(Probe), p6.ToString(), "an IPv6 probe target must be a global unicast address (an IPv4 one is pinged through the tunnel).");
        }

        TunnelLocal local = ResolveLocal(existing, document);
        Tunnel current = existing ?? new Tunnel(Name, remote, local);
        return current with
        {
            Remote = remote,
            Local = local,
            Kind = Pick(nameof(Kind), Kind, current.Kind),
            Mtu = Pick(nameof(Mtu), (int?)Mtu, current.Mtu),
            HopLimit = Pick(nameof(HopLimit), (int?)HopLimit, current.HopLimit),
            EncapLimit = Pick(nameof(EncapLimit), (int?)EncapLimit, current.EncapLimit),
            DefaultRoute = Pick(nameof(DefaultRoute), (bool?)DefaultRoute.IsPresent, current.DefaultRoute),
            Backend = Pick(nameof(Backend), Backend, current.Backend),
            Probe = Pick(nameof(Probe), Probe, current.Probe),
        };
    }

    private TunnelLocal ResolveLocal(Tunnel? existing, RouterDocument document)
    {
        if (LocalFrom is not null && LocalAddress is not null)
        {
            throw Invalid(nameof(LocalAddress), LocalAddress.ToString(), "give either -LocalFrom or -LocalAddress, not both.");
        }

        if (LocalFrom is not null)
        {
            return new InterfaceLocal(LocalFrom);
        }

        if (LocalAddress is not null)
        {
            return LocalAddress.AddressFamily == AddressFamily.InterNetworkV6
                ? new StaticLocal(LocalAddress)
                : throw Invalid(nameof(LocalAddress), LocalAddress.ToString(), "the local end is an IPv6 address.");
        }

        if (existing is not null)
        {
            return existing.Local;
        }

        return document.SingleWan() is { } wan
            ? new InterfaceLocal(wan.Name)
            : throw Required(nameof(LocalFrom), "the document does not have exactly one WAN interface, so it cannot tell which one's address is the local end.");
    }
}
