using IpoeRouter.Engine.Kernel;
using IpoeRouter.Linux.Rtnl;

namespace IpoeRouter.Engine.Tests.Netns;

/// <summary>The real kernel, with every change written to <see cref="Events"/> before it is made.</summary>
internal sealed class RecordingKernel(IKernel inner, List<string> events) : IKernel
{
    public List<string> Events { get; } = events;

    public KernelSnapshot Observe(IReadOnlyCollection<string> sysctlPaths) => inner.Observe(sysctlPaths);

    public void AddTunnel(Ip6TnlLinkSpec spec) => Do($"add tunnel {spec}", () => inner.AddTunnel(spec));

    public void ChangeTunnel(int index, Ip6TnlLinkSpec spec) => Do($"change tunnel {index}", () => inner.ChangeTunnel(index, spec));

    public void OpenUserspaceTunnel(string name) => Do($"open b4 {name}", () => inner.OpenUserspaceTunnel(name));

    public void SetUserspaceTunnel(string name, System.Net.IPAddress? local, System.Net.IPAddress? remote) => Do($"point b4 {name}", () => inner.SetUserspaceTunnel(name, local, remote));

    public void CloseUserspaceTunnel(string name) => Do($"close b4 {name}", () => inner.CloseUserspaceTunnel(name));

    public void DeleteLink(int index, string name) => Do($"delete link {name}", () => inner.DeleteLink(index, name));

    public void SetLinkUp(int index, string name, bool up) => Do($"link {name} up={up}", () => inner.SetLinkUp(index, name, up));

    public void SetMtu(int index, string name, int mtu) => Do($"link {name} mtu {mtu}", () => inner.SetMtu(index, name, mtu));

    public void ReplaceAddress(AddressSpec spec) => Do($"replace address {spec}", () => inner.ReplaceAddress(spec));

    public void DeleteAddress(AddressSpec spec) => Do($"delete address {spec}", () => inner.DeleteAddress(spec));

    public void ReplaceRoute(RouteSpec spec) => Do($"replace route {spec}", () => inner.ReplaceRoute(spec));

    public void DeleteRoute(RouteSpec spec) => Do($"delete route {spec}", () => inner.DeleteRoute(spec));

    public void WriteSysctl(string procPath, string value) => Do($"sysctl {procPath}={value}", () => inner.WriteSysctl(procPath, value));

    public void ApplyFirewall(string transaction, string desiredFingerprint) => Do("apply firewall", () => inner.ApplyFirewall(transaction, desiredFingerprint));

    public void RestoreFirewall(string? listingJson, IpoeRouter.Engine.Firewall.FirewallRecord? record) => Do("restore firewall", () => inner.RestoreFirewall(listingJson, record));

    private void Do(string what, Action change)
    {
        Events.Add("change " + what);
        change();
    }
}
