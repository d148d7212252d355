using System.Net;
using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Rtnl;
using IpoeRouter.Model;
using AddressSpec = IpoeRouter.Linux.Rtnl.AddressSpec;

namespace IpoeRouter.Engine.Planning;

public sealed partial class Planner
{
    private void PlanAddresses()
    {
        var desired = new HashSet<(int Index, IPAddress Address, int Length)>();
        var present = _kernel.Addresses.Select(a => (a.Index, a.Address, a.PrefixLength)).ToHashSet();
        var unsettled = new HashSet<int>(); // links whose addresses wait for a binding: their leftovers stay for now
        foreach (var (ifaceName, binding, source) in DesiredAddressBindings())
        {
            LinkInfo? link = _kernel.Link(ifaceName);
            string key = $"{binding.Text} dev {ifaceName}";
            if (link is null)
            {
                _addresses.Add(Pending(ResourceKind.Address, key, source, $"link {ifaceName} does not exist (yet)"));
                continue;
            }

            if (binding.Resolve(_facts) is not { } resolved)
            {
                // Only a delegation not bound yet keeps the link's leftovers; one that lost its prefix, or
                // whose new prefix no longer holds this subnet id, lets the old address go, as does a DHCPv4
                // lease that ended (a lease saved across a restart is in the facts from the start).
                if (binding.Delegation is { } d && !_facts.DelegatedPrefixes.ContainsKey(d) && !_facts.LostDelegations.Contains(d))
                {
                    unsettled.Add(link.Index);
                }

                _addresses.Add(Pending(ResourceKind.Address, key, source, binding.WhyPending(_facts)));
                continue;
            }

            var (address, length) = resolved;
            key = $"{address}/{length} dev {ifaceName}";
            if (!desired.Add((link.Index, address, length)))
            {
                continue;
            }

            uint? lifetime = binding.Lifetime?.Invoke(_facts);
            var spec = new AddressSpec(link.Index, address, length) { Protocol = RouteProtocol.IpoeRouter, ValidLifetime = lifetime, PreferredLifetime = lifetime };
            if (present.Contains((link.Index, address, length)))
            {
                AddressInfo now = _kernel.Addresses.First(a => a.Index == link.Index && a.Address.Equals(address) && a.PrefixLength == length);
                if (binding.Lifetime is null || !LifetimeMoved(now.ValidLifetime, lifetime))
                {
                    _addresses.Add(NoChange(ResourceKind.Address, key, source, "present"));
                    continue;
                }

                // A renewed lease: the same address, its lifetimes extended (or a lease that went infinite, or finite).
                var before = spec with { ValidLifetime = Finite(now.ValidLifetime), PreferredLifetime = Finite(now.PreferredLifetime) };
                _addresses.Add(new ResourceDiff(ResourceKind.Address, key, DiffOutcome.Update,
                    [new PropertyChange("valid lifetime", Seconds(now.ValidLifetime), Seconds(lifetime ?? Ifa.InfinityLifetime))], binding.Reason)
                {
                    Source = source,
                    Operations = [new ReplaceAddressOperation(spec, ifaceName)],
                    Inverse = [new ReplaceAddressOperation(before, ifaceName)],
                });
                continue;
            }

            _addresses.Add(new ResourceDiff(ResourceKind.Address, key, DiffOutcome.Create, [new PropertyChange("address", null, $"{address}/{length}")], binding.Reason)
            {
                Source = source,
                Operations = [new ReplaceAddressOperation(spec, ifaceName)],
                Inverse = [new DeleteAddressOperation(spec, ifaceName)],
            });
        }

        foreach (AddressInfo leftover in _kernel.Addresses.Where(a => a.Protocol == RouteProtocol.IpoeRouter
            && !unsettled.Contains(a.Index) && !desired.Contains((a.Index, a.Address, a.PrefixLength))))
        {
            string device = Device(_kernel.Link(leftover.Index), leftover.Index);
            var spec = new AddressSpec(leftover.Index, leftover.Address, leftover.PrefixLength) { Protocol = RouteProtocol.IpoeRouter };
            var restore = spec with
            {
                ValidLifetime = leftover.ValidLifetime == Ifa.InfinityLifetime ? null : leftover.ValidLifetime,
                PreferredLifetime = leftover.PreferredLifetime == Ifa.InfinityLifetime ? null : leftover.PreferredLifetime,
            };
            _addressRemovals.Add(new ResourceDiff(ResourceKind.Address, $"{leftover.Address}/{leftover.PrefixLength} dev {device}", DiffOutcome.Delete,
                [new PropertyChange("address", $"{leftover.Address}/{leftover.PrefixLength}", null)], "made by the engine and no longer wanted: not declared, or its lease or delegation ended")
            {
                Operations = [new DeleteAddressOperation(spec, device)],
                Inverse = [new ReplaceAddressOperation(restore, device)],
            });
        }
    }

    /// <summary>
    /// Whether a leased address's lifetime in the kernel (counting down since the last update) is
    /// off from the lease's by more than the slack between observing and planning: then it is set again.
    /// </summary>
    private static bool LifetimeMoved(uint kernel, uint? wanted) =>
        wanted is not { } w ? kernel != Ifa.InfinityLifetime : kernel == Ifa.InfinityLifetime || Math.Abs((long)kernel - w) > LeaseLifetimeSlack;

    /// <summary>Seconds a leased address's kernel lifetime may differ from the lease's before it is set again.</summary>
    private const long LeaseLifetimeSlack = 5;

    private static uint? Finite(uint lifetime) => lifetime == Ifa.InfinityLifetime ? null : lifetime;

    private static string Seconds(uint lifetime) => lifetime == Ifa.InfinityLifetime ? "forever" : $"{lifetime} s";

    /// <summary>Every address the document puts on an interface: fixed ones, delegated ones, each downstream's /64, and a DHCPv4 lease's.</summary>
    private IEnumerable<(string Interface, AddressBinding Binding, string Source)> DesiredAddressBindings()
    {
        for (int i = 0; i < _doc.Interfaces.Count; i++)
        {
            for (int a = 0; a < _doc.Interfaces[i].Addresses.Count; a++)
            {
                string source = $"interfaces[{i}].addresses[{a}]";
                yield return _doc.Interfaces[i].Addresses[a] switch
                {
                    StaticAddress s => (_doc.Interfaces[i].Name, AddressBinding.Fixed(s.Value), source),
                    DelegatedAddress d => (_doc.Interfaces[i].Name, AddressBinding.Delegated(d.Delegation, d.SubnetId, d.Host), source),
                    _ => throw new InvalidOperationException("unknown address kind"),
                };
            }
        }

        for (int i = 0; i < _doc.Interfaces.Count; i++)
        {
            if (_doc.Interfaces[i].Dhcp4 == true)
            {
                yield return (_doc.Interfaces[i].Name, AddressBinding.Dhcp4(_doc.Interfaces[i].Name), $"interfaces[{i}].dhcp4");
            }
        }

        for (int t = 0; t < _doc.Tunnels.Count; t++)
        {
            if (_doc.Tunnels[t] is { Exist: true, Kind: TunnelKind.DsLite } tunnel)
            {
                yield return (tunnel.Name, AddressBinding.Fixed(Tunnel.B4Address, "the B4's address (RFC 6333)"), $"tunnels[{t}]");
            }
        }

        for (int p = 0; p < _doc.PrefixDelegations.Count; p++)
        {
            PrefixDelegation pd = _doc.PrefixDelegations[p];
            for (int d = 0; d < pd.Downstreams.Count; d++)
            {
                Downstream ds = pd.Downstreams[d];
                yield return (ds.Interface, AddressBinding.Delegated(pd.Name, ds.SubnetId, ds.EffectiveHost), $"prefixDelegations[{p}].downstream[{d}]");
            }
        }
    }

    /// <summary>An address as declared: fixed, or bound to a delegation's subnet.</summary>
    private sealed record AddressBinding(string Text, string Reason, Func<RuntimeFacts, (IPAddress, int)?> Resolve, Func<RuntimeFacts, string> WhyPending)
    {
        /// <summary>The delegation the address comes from, or null for a fixed one.</summary>
        public string? Delegation { get; init; }

        /// <summary>For a leased address, its valid (and preferred) lifetime in seconds, null for infinite.</summary>
        public Func<RuntimeFacts, uint?>? Lifetime { get; init; }

        public static AddressBinding Dhcp4(string iface) => new(
            "{ dhcp4 }",
            "leased by DHCPv4",
            facts => facts.Dhcp4Addresses.TryGetValue(iface, out LeasedAddress? a) ? (a.Address, a.PrefixLength) : null,
            _ => $"{iface} holds no DHCPv4 lease")
        {
            Lifetime = facts => facts.Dhcp4Addresses.TryGetValue(iface, out LeasedAddress? a) ? a.ValidSeconds : null,
        };

        public static AddressBinding Fixed(InterfaceAddress a, string reason = "declared") =>
            new(a.ToString(), reason, _ => (a.Address, a.PrefixLength), _ => string.Empty);

        public static AddressBinding Delegated(string delegation, int subnetId, IPAddress host) => new(
            $"{{ delegation: {delegation}, subnetId: {subnetId}, host: {PrefixMath.FormatAddress(host)} }}",
            $"subnet {subnetId} of the prefix delegation {delegation} holds",
            facts => facts.DelegatedPrefixes.TryGetValue(delegation, out IPNetwork prefix) && subnetId < PrefixMath.SubnetCount(prefix.PrefixLength)
                ? (PrefixMath.WithHost(PrefixMath.Subnet64(prefix, subnetId), host), 64)
                : null,
            facts => facts.DelegatedPrefixes.TryGetValue(delegation, out IPNetwork prefix)
                ? $"subnet id {subnetId} does not fit the delegated {PrefixMath.Format(prefix)} ({PrefixMath.SubnetCount(prefix.PrefixLength)} subnets)"
                : facts.LostDelegations.Contains(delegation) ? $"delegation {delegation} lost its prefix" : $"delegation {delegation} holds no prefix yet")
        {
            Delegation = delegation,
        };
    }
}
