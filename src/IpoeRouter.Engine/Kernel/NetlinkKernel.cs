using System.Net.Sockets;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Linux.Rtnl;
using IpoeRouter.Linux.Sysctl;
using IpoeRouter.Model;
using AddressSpec = IpoeRouter.Linux.Rtnl.AddressSpec;

namespace IpoeRouter.Engine.Kernel;

/// <summary>The real kernel of one network namespace, through rtnetlink and /proc/sys.</summary>
public sealed class NetlinkKernel : IKernel, IDisposable
{
    private readonly NetlinkSocket _socket;
    private readonly LinkOps _links;
    private readonly AddressOps _addresses;
    private readonly RouteOps _routes;
    private readonly SysctlAccess _sysctl;
    private readonly Firewall.NftFirewall _firewall;

    /// <summary>Opens the kernel of <paramref name="ns"/>.</summary>
    public NetlinkKernel(NetworkNamespace ns)
    {
        _socket = ns.OpenSocket();
        _links = new LinkOps(_socket);
        _addresses = new AddressOps(_socket);
        _routes = new RouteOps(_socket);
        _sysctl = new SysctlAccess(ns);
        _firewall = new Firewall.NftFirewall(ns, ns.Path is null ? "host" : Path.GetFileName(ns.Path));
    }

    /// <summary>
    /// Opens the kernel of the caller's namespace, or of the one <c>ip netns add NAME</c> made.
    /// Throws <see cref="IpoeException"/> with <see cref="EngineErrorIds.NamespaceNotFound"/> or
    /// <see cref="EngineErrorIds.KernelUnavailable"/>.
    /// </summary>
    public static NetlinkKernel Open(string? namespaceName)
    {
        NetworkNamespace ns = namespaceName is null ? NetworkNamespace.Current : NetworkNamespace.Named(namespaceName);
        if (ns.Path is { } path && !File.Exists(path))
        {
            throw new IpoeException(EngineErrorIds.NamespaceNotFound, ErrorKind.ObjectNotFound, $"There is no network namespace {namespaceName} ({path}).", namespaceName);
        }

        try
        {
            return new NetlinkKernel(ns);
        }
        catch (IOException e)
        {
            throw new IpoeException(EngineErrorIds.KernelUnavailable, ErrorKind.ResourceUnavailable, $"Cannot open rtnetlink: {e.Message}", namespaceName, e);
        }
    }

    /// <inheritdoc/>
    public KernelSnapshot Observe(IReadOnlyCollection<string> sysctlPaths) => new(
        _links.Dump(),
        _addresses.Dump(),
        [.. _routes.Dump(AddressFamily.InterNetwork), .. _routes.Dump(AddressFamily.InterNetworkV6)],
        _sysctl.ReadMany(sysctlPaths))
    {
        Firewall = _firewall.Observe(),
        Ip6TunnelAvailable = KernelModules.Ip6TunnelAvailable(),
    };

    /// <inheritdoc/>
    /// <remarks>Only ipoe-agent carries user-space B4s (its kernel wraps this one); the planner never asks this one, whose snapshots say so.</remarks>
    public void OpenUserspaceTunnel(string name) => throw NoB4(name);

    /// <inheritdoc/>
    public void SetUserspaceTunnel(string name, System.Net.IPAddress? local, System.Net.IPAddress? remote) => throw NoB4(name);

    /// <inheritdoc/>
    public void CloseUserspaceTunnel(string name) => throw NoB4(name);

    private static InvalidOperationException NoB4(string name) =>
        new($"Tunnel {name} is carried in user space, and only ipoe-agent carries user-space B4s.");

    /// <inheritdoc/>
    public void AddTunnel(Ip6TnlLinkSpec spec) => _links.Add(spec);

    /// <inheritdoc/>
    public void ChangeTunnel(int index, Ip6TnlLinkSpec spec) => _links.Change(index, spec);

    /// <inheritdoc/>
    public void DeleteLink(int index, string name) => _links.Delete(new LinkInfo(index, name, 0, 0, null));

    /// <inheritdoc/>
    public void SetLinkUp(int index, string name, bool up) => _links.SetUp(new LinkInfo(index, name, 0, 0, null), up);

    /// <inheritdoc/>
    public void SetMtu(int index, string name, int mtu) => _links.SetMtu(new LinkInfo(index, name, 0, 0, null), mtu);

    /// <inheritdoc/>
    public void ReplaceAddress(AddressSpec spec) => _addresses.Replace(spec);

    /// <inheritdoc/>
    public void DeleteAddress(AddressSpec spec) => _addresses.Delete(spec);

    /// <inheritdoc/>
    public void ReplaceRoute(RouteSpec spec) => _routes.Replace(spec);

    /// <inheritdoc/>
    public void DeleteRoute(RouteSpec spec) => _routes.Delete(spec);

    /// <inheritdoc/>
    public void WriteSysctl(string procPath, string value) => _sysctl.Write(procPath, value);

    /// <inheritdoc/>
    public void ApplyFirewall(string transaction, string desiredFingerprint) => _firewall.Apply(transaction, desiredFingerprint);

    /// <inheritdoc/>
    public void RestoreFirewall(string? listingJson, Firewall.FirewallRecord? record) => _firewall.Restore(listingJson, record);

    /// <inheritdoc/>
    public void Dispose()
    {
        _firewall.Dispose();
        _socket.Dispose();
    }
}
