using System.Net;
using IpoeRouter.Engine.Kernel;
using IpoeRouter.Linux.Rtnl;

namespace IpoeRouter.Agent.DsLite;

/// <summary>
/// The kernel as the agent's engine sees it: the real one, plus the user-space B4s the agent carries,
/// observed and changed like any other kernel state — so the plan shows them, the journal undoes
/// them, and a cmdlet's plan through the control socket sees the same.
/// </summary>
internal sealed class B4Kernel(IKernel inner, B4Carrier b4s) : IKernel
{
    /// <inheritdoc/>
    public KernelSnapshot Observe(IReadOnlyCollection<string> sysctlPaths) => inner.Observe(sysctlPaths) with { UserspaceTunnels = b4s.States() };

    /// <inheritdoc/>
    public void OpenUserspaceTunnel(string name) => b4s.Open(name);

    /// <inheritdoc/>
    public void SetUserspaceTunnel(string name, IPAddress? local, IPAddress? remote) => b4s.Point(name, local, remote);

    /// <inheritdoc/>
    public void CloseUserspaceTunnel(string name) => b4s.Close(name);

    /// <inheritdoc/>
    public void AddTunnel(Ip6TnlLinkSpec spec) => inner.AddTunnel(spec);

    /// <inheritdoc/>
    public void ChangeTunnel(int index, Ip6TnlLinkSpec spec) => inner.ChangeTunnel(index, spec);

    /// <inheritdoc/>
    public void DeleteLink(int index, string name) => inner.DeleteLink(index, name);

    /// <inheritdoc/>
    public void SetLinkUp(int index, string name, bool up) => inner.SetLinkUp(index, name, up);

    /// <inheritdoc/>
    public void SetMtu(int index, string name, int mtu) => inner.SetMtu(index, name, mtu);

    /// <inheritdoc/>
    public void ReplaceAddress(AddressSpec spec) => inner.ReplaceAddress(spec);

    /// <inheritdoc/>
    public void DeleteAddress(AddressSpec spec) => inner.DeleteAddress(spec);

    /// <inheritdoc/>
    public void ReplaceRoute(RouteSpec spec) => inner.ReplaceRoute(spec);

    /// <inheritdoc/>
    public void DeleteRoute(RouteSpec spec) => inner.DeleteRoute(spec);

    /// <inheritdoc/>
    public void WriteSysctl(string procPath, string value) => inner.WriteSysctl(procPath, value);

    /// <inheritdoc/>
    public void ApplyFirewall(string transaction, string desiredFingerprint) => inner.ApplyFirewall(transaction, desiredFingerprint);

    /// <inheritdoc/>
    public void RestoreFirewall(string? listingJson, Engine.Firewall.FirewallRecord? record) => inner.RestoreFirewall(listingJson, record);
}
