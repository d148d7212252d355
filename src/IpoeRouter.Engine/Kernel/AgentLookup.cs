using IpoeRouter.Linux.Netlink;
using IpoeRouter.Model;

namespace IpoeRouter.Engine.Kernel;

/// <summary>Which agent, if any, serves a router: the one registered for its network namespace.</summary>
public static class AgentLookup
{
    /// <summary>
    /// The live agent serving the host's namespace (<paramref name="namespaceName"/> null) or the one
    /// <c>ip netns add NAME</c> made; null when none does. Throws <see cref="IpoeException"/>
    /// (<see cref="EngineErrorIds.NamespaceNotFound"/>) for a namespace that does not exist.
    /// </summary>
    public static AgentRegistration? For(string? namespaceName)
    {
        NetworkNamespace ns = namespaceName is null ? NetworkNamespace.Current : NetworkNamespace.Named(namespaceName);
        if (ns.Path is { } path && !File.Exists(path))
        {
            throw new IpoeException(EngineErrorIds.NamespaceNotFound, ErrorKind.ObjectNotFound, $"There is no network namespace {namespaceName} ({path}).", namespaceName);
        }

        return AgentRegistry.Find(ns.Identity());
    }
}
