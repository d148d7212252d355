using IpoeRouter.Engine.Kernel;
using IpoeRouter.Linux.Rtnl;

namespace IpoeRouter.Engine.Planning;

/// <summary>One primitive kernel change, as data: what a plan executes and what its journal undoes.</summary>
public abstract record KernelOperation
{
    /// <summary>Performs the change.</summary>
    public abstract void Execute(IKernel kernel);

    /// <summary>The change in <c>ip</c>/<c>sysctl</c> terms.</summary>
    public abstract override string ToString();
}

/// <summary><c>ip link add NAME type ip6tnl ...</c>.</summary>
public sealed record AddTunnelOperation(Ip6TnlLinkSpec Spec) : KernelOperation
{
    /// <inheritdoc/>
    public override void Execute(IKernel kernel) => kernel.AddTunnel(Spec);

    /// <inheritdoc/>
    public override string ToString() => $"ip link add {Spec.Name} type ip6tnl mode ipip6 local {Spec.Local} remote {Spec.Remote}";
}

/// <summary><c>ip link set NAME type ip6tnl local L remote R ...</c>.</summary>
public sealed record ChangeTunnelOperation(int Index, Ip6TnlLinkSpec Spec) : KernelOperation
{
    /// <inheritdoc/>
    public override void Execute(IKernel kernel) => kernel.ChangeTunnel(Index, Spec);

    /// <inheritdoc/>
    public override string ToString() => $"ip link set {Spec.Name} type ip6tnl local {Spec.Local} remote {Spec.Remote}";
}

/// <summary>Opens the agent's user-space B4 for a tunnel: its TUN link appears.</summary>
public sealed record OpenUserspaceTunnelOperation(string Name) : KernelOperation
{
    /// <inheritdoc/>
    public override void Execute(IKernel kernel) => kernel.OpenUserspaceTunnel(Name);

    /// <inheritdoc/>
    public override string ToString() => $"open the user-space B4 {Name} (ip tuntap add {Name} mode tun, held by ipoe-agent)";
}

/// <summary>Points the agent's user-space B4 at its local and remote ends.</summary>
public sealed record SetUserspaceTunnelOperation(string Name, System.Net.IPAddress? Local, System.Net.IPAddress? Remote) : KernelOperation
{
    /// <inheritdoc/>
    public override void Execute(IKernel kernel) => kernel.SetUserspaceTunnel(Name, Local, Remote);

    /// <inheritdoc/>
    public override string ToString() => Local is null || Remote is null
        ? $"B4 {Name}: no path"
        : $"B4 {Name}: IPv4-in-IPv6 from {Local} to {Remote}";
}

/// <summary>Closes the agent's user-space B4 for a tunnel: its TUN link goes with it.</summary>
public sealed record CloseUserspaceTunnelOperation(string Name) : KernelOperation
{
    /// <inheritdoc/>
    public override void Execute(IKernel kernel) => kernel.CloseUserspaceTunnel(Name);

    /// <inheritdoc/>
    public override string ToString() => $"close the user-space B4 {Name} (its TUN link goes)";
}

/// <summary><c>ip link delete NAME</c>.</summary>
public sealed record DeleteLinkOperation(int Index, string Name) : KernelOperation
{
    /// <inheritdoc/>
    public override void Execute(IKernel kernel) => kernel.DeleteLink(Index, Name);

    /// <inheritdoc/>
    public override string ToString() => $"ip link delete {Name}";
}

/// <summary><c>ip link set NAME up|down</c>.</summary>
public sealed record SetLinkUpOperation(int Index, string Name, bool Up) : KernelOperation
{
    /// <inheritdoc/>
    public override void Execute(IKernel kernel) => kernel.SetLinkUp(Index, Name, Up);

    /// <inheritdoc/>
    public override string ToString() => $"ip link set {Name} {(Up ? "up" : "down")}";
}

/// <summary><c>ip link set NAME mtu M</c>.</summary>
public sealed record SetMtuOperation(int Index, string Name, int Mtu) : KernelOperation
{
    /// <inheritdoc/>
    public override void Execute(IKernel kernel) => kernel.SetMtu(Index, Name, Mtu);

    /// <inheritdoc/>
    public override string ToString() => $"ip link set {Name} mtu {Mtu}";
}

/// <summary><c>ip addr replace A/L dev NAME</c>.</summary>
public sealed record ReplaceAddressOperation(AddressSpec Spec, string Device) : KernelOperation
{
    /// <inheritdoc/>
    public override void Execute(IKernel kernel) => kernel.ReplaceAddress(Spec);

    /// <inheritdoc/>
    public override string ToString() => $"ip addr replace {Spec.Address}/{Spec.PrefixLength} dev {Device}";
}

/// <summary><c>ip addr del A/L dev NAME</c>.</summary>
public sealed record DeleteAddressOperation(AddressSpec Spec, string Device) : KernelOperation
{
    /// <inheritdoc/>
    public override void Execute(IKernel kernel) => kernel.DeleteAddress(Spec);

    /// <inheritdoc/>
    public override string ToString() => $"ip addr del {Spec.Address}/{Spec.PrefixLength} dev {Device}";
}

/// <summary><c>ip route replace ...</c>.</summary>
public sealed record ReplaceRouteOperation(RouteSpec Spec, string? Device) : KernelOperation
{
    /// <inheritdoc/>
    public override void Execute(IKernel kernel) => kernel.ReplaceRoute(Spec);

    /// <inheritdoc/>
    public override string ToString() => "ip route replace " + RouteText.Describe(Spec, Device);
}

/// <summary><c>ip route del ...</c>.</summary>
public sealed record DeleteRouteOperation(RouteSpec Spec, string? Device) : KernelOperation
{
    /// <inheritdoc/>
    public override void Execute(IKernel kernel) => kernel.DeleteRoute(Spec);

    /// <inheritdoc/>
    public override string ToString() => "ip route del " + RouteText.Describe(Spec, Device);
}

/// <summary><c>sysctl -w KEY=VALUE</c>.</summary>
public sealed record WriteSysctlOperation(string ProcPath, string Value) : KernelOperation
{
    /// <inheritdoc/>
    public override void Execute(IKernel kernel) => kernel.WriteSysctl(ProcPath, Value);

    /// <inheritdoc/>
    public override string ToString() => $"sysctl -w {ProcPath.Replace('/', '.')}={Value}";
}

/// <summary>Replaces the table inet ipoe (nft -f of the compiled ruleset, one transaction).</summary>
public sealed record ApplyFirewallOperation(string Transaction, string Fingerprint) : KernelOperation
{
    /// <inheritdoc/>
    public override void Execute(IKernel kernel) => kernel.ApplyFirewall(Transaction, Fingerprint);

    /// <inheritdoc/>
    public override string ToString() => $"nft -f <table inet ipoe, {Fingerprint[..12]}>";
}

/// <summary>Puts the previous table inet ipoe back (or deletes it when there was none).</summary>
public sealed record RestoreFirewallOperation(string? ListingJson, Firewall.FirewallRecord? Record) : KernelOperation
{
    /// <inheritdoc/>
    public override void Execute(IKernel kernel) => kernel.RestoreFirewall(ListingJson, Record);

    /// <inheritdoc/>
    public override string ToString() => ListingJson is null ? "nft delete table inet ipoe" : "nft -f <the previous table inet ipoe>";
}

/// <summary>How routes read in plans.</summary>
internal static class RouteText
{
    public static string Describe(RouteSpec s, string? device) =>
        Model.PrefixMath.Format(s.Destination) + (s.Gateway is { } g ? $" via {g}" : string.Empty) + (device is not null ? $" dev {device}" : string.Empty)
        + (s.Metric is { } m ? $" metric {m}" : string.Empty) + $" proto {s.Protocol}";
}
