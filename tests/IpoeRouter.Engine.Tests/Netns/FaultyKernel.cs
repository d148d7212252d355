using IpoeRouter.Engine.Kernel;
using IpoeRouter.Linux.Rtnl;

namespace IpoeRouter.Engine.Tests.Netns;

/// <summary>The real kernel, except that change number <see cref="FailAt"/> (1-based) throws as the kernel would refuse it.</summary>
internal sealed class FaultyKernel(IKernel inner, int failAt) : IKernel
{
    private int _calls;

    public int FailAt { get; } = failAt;

    public KernelSnapshot Observe(IReadOnlyCollection<string> sysctlPaths) => inner.Observe(sysctlPaths);

    public void AddTunnel(Ip6TnlLinkSpec spec) => Do(() => inner.AddTunnel(spec));

    public void ChangeTunnel(int index, Ip6TnlLinkSpec spec) => Do(() => inner.ChangeTunnel(index, spec));

    public void OpenUserspaceTunnel(string name) => Do(() => inner.OpenUserspaceTunnel(name));

    public void SetUserspaceTunnel(string name, System.Net.IPAddress? local, System.Net.IPAddress? remote) => Do(() => inner.SetUserspaceTunnel(name, local, remote));

    public void CloseUserspaceTunnel(string name) => Do(() => inner.CloseUserspaceTunnel(name));

    public void DeleteLink(int index, string name) => Do(() => inner.DeleteLink(index, name));

    public void SetLinkUp(int index, string name, bool up) => Do(() => inner.SetLinkUp(index, name, up));

    public void SetMtu(int index, string name, int mtu) => Do(() => inner.SetMtu(index, name, mtu));

    public void ReplaceAddress(AddressSpec spec) => Do(() => inner.ReplaceAddress(spec));

    public void DeleteAddress(AddressSpec spec) => Do(() => inner.DeleteAddress(spec));

    public void ReplaceRoute(RouteSpec spec) => Do(() => inner.ReplaceRoute(spec));

    public void DeleteRoute(RouteSpec spec) => Do(() => inner.DeleteRoute(spec));

    public void WriteSysctl(string procPath, string value) => Do(() => inner.WriteSysctl(procPath, value));

    public void ApplyFirewall(string transaction, string desiredFingerprint) => Do(() => inner.ApplyFirewall(transaction, desiredFingerprint));

    public void RestoreFirewall(string? listingJson, IpoeRouter.Engine.Firewall.FirewallRecord? record) => Do(() => inner.RestoreFirewall(listingJson, record));

    private void Do(Action change)
    {
        if (++_calls == FailAt)
        {
            throw new IOException($"injected failure at change {FailAt}");
        }

        change();
    }
}
