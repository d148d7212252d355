using IpoeRouter.Model;

namespace IpoeRouter.Engine.Documents;

/// <summary>
/// What of a document the agent's services are built from: the delegations, the DHCP scopes, the DNS
/// forwarder, and each interface's name, role, DHCPv4 client, RA acceptance and addresses. A new
/// version that changes none of these is taken in place by the next pass; one that changes them needs
/// the services started again.
/// </summary>
public static class ServiceShape
{
    /// <summary>What differs between the two versions' services (for the log), or null when nothing does.</summary>
    public static string? Differs(RouterDocument before, RouterDocument after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var what = new List<string>();
        if (!before.PrefixDelegations.SequenceEqual(after.PrefixDelegations))
        {
            what.Add("prefixDelegations");
        }

        if (!before.DhcpScopes.SequenceEqual(after.DhcpScopes))
        {
            what.Add("dhcpScopes");
        }

        if (!Equals(before.DnsForwarder, after.DnsForwarder))
        {
            what.Add("dnsForwarder");
        }

        if (!before.Interfaces.Select(Shape).SequenceEqual(after.Interfaces.Select(Shape)))
        {
            what.Add("interfaces");
        }

        return what.Count == 0 ? null : string.Join(", ", what);
    }

    private static (string, InterfaceRole, bool?, bool?, ValueList<AddressSpec>) Shape(Interface i) => (i.Name, i.Role, i.Dhcp4, i.AcceptRa, i.Addresses);
}
