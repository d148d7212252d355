using IpoeRouter.Linux.Rtnl;

namespace IpoeRouter.Engine.Kernel;

/// <summary>
/// The kernel as the engine sees it: one observe call and the primitive changes it plans with.
/// <see cref="NetlinkKernel"/> is the real one; tests use a fake only for what cannot run on these
/// machines (an ip6tnl link: no ip6_tunnel module).
/// </summary>
public interface IKernel
{
    /// <summary>Reads links, addresses, routes and the given sysctl keys (paths below /proc/sys).</summary>
    KernelSnapshot Observe(IReadOnlyCollection<string> sysctlPaths);

    /// <summary>Creates an ip6tnl link.</summary>
    void AddTunnel(Ip6TnlLinkSpec spec);

    /// <summary>Changes an existing ip6tnl link's parameters in place.</summary>
    void ChangeTunnel(int index, Ip6TnlLinkSpec spec);

    /// <summary>Opens a user-space B4 (its TUN link appears, down, with no address). Only ipoe-agent carries them.</summary>
    void OpenUserspaceTunnel(string name);

    /// <summary>Points a user-space B4 at <paramref name="local"/> → <paramref name="remote"/> (null: no path).</summary>
    void SetUserspaceTunnel(string name, System.Net.IPAddress? local, System.Net.IPAddress? remote);

    /// <summary>Closes a user-space B4 (its TUN link goes with it).</summary>
    void CloseUserspaceTunnel(string name);

    /// <summary>Deletes a link.</summary>
    void DeleteLink(int index, string name);

    /// <summary>Sets a link up or down.</summary>
    void SetLinkUp(int index, string name, bool up);

    /// <summary>Sets a link's MTU.</summary>
    void SetMtu(int index, string name, int mtu);

    /// <summary>Adds or replaces an address.</summary>
    void ReplaceAddress(AddressSpec spec);

    /// <summary>Deletes an address.</summary>
    void DeleteAddress(AddressSpec spec);

    /// <summary>Adds or replaces a route.</summary>
    void ReplaceRoute(RouteSpec spec);

    /// <summary>Deletes a route.</summary>
    void DeleteRoute(RouteSpec spec);

    /// <summary>Writes a sysctl value.</summary>
    void WriteSysctl(string procPath, string value);

    /// <summary>Replaces the table inet ipoe with a compiled transaction (checked first; atomic).</summary>
    void ApplyFirewall(string transaction, string desiredFingerprint);

    /// <summary>Puts a previous table (or none) and its record back.</summary>
    void RestoreFirewall(string? listingJson, Firewall.FirewallRecord? record);
}
