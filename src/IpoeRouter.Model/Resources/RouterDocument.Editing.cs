namespace IpoeRouter.Model;

public sealed partial record RouterDocument
{
    /// <summary>A copy with <paramref name="item"/> in place of the interface of the same name, or appended.</summary>
    public RouterDocument WithInterface(Interface item) => this with { Interfaces = Upsert(Interfaces, i => i.Name == item.Name, item) };

    /// <summary>A copy without the interface <paramref name="name"/>.</summary>
    public RouterDocument WithoutInterface(string name) => this with { Interfaces = Interfaces.RemoveAll(i => i.Name == name) };

    /// <summary>A copy with <paramref name="item"/> in place of the tunnel of the same name, or appended.</summary>
    public RouterDocument WithTunnel(Tunnel item) => this with { Tunnels = Upsert(Tunnels, t => t.Name == item.Name, item) };

    /// <summary>A copy without the tunnel <paramref name="name"/>.</summary>
    public RouterDocument WithoutTunnel(string name) => this with { Tunnels = Tunnels.RemoveAll(t => t.Name == name) };

    /// <summary>A copy with <paramref name="item"/> in place of the delegation of the same name, or appended.</summary>
    public RouterDocument WithPrefixDelegation(PrefixDelegation item) =>
        this with { PrefixDelegations = Upsert(PrefixDelegations, p => p.Name == item.Name, item) };

    /// <summary>A copy without the delegation <paramref name="name"/>.</summary>
    public RouterDocument WithoutPrefixDelegation(string name) =>
        this with { PrefixDelegations = PrefixDelegations.RemoveAll(p => p.Name == name) };

    /// <summary>A copy with <paramref name="item"/> in place of the scope of the same name, or appended.</summary>
    public RouterDocument WithDhcpScope(DhcpScope item) => this with { DhcpScopes = Upsert(DhcpScopes, s => s.Name == item.Name, item) };

    /// <summary>A copy without the scope <paramref name="name"/>.</summary>
    public RouterDocument WithoutDhcpScope(string name) => this with { DhcpScopes = DhcpScopes.RemoveAll(s => s.Name == name) };

    /// <summary>
    /// A copy with <paramref name="item"/> in place of the rule of the same name; a new rule is
    /// inserted at <paramref name="index"/> (null: after the last rule).
    /// </summary>
    public RouterDocument WithFirewallRule(FirewallRule item, int? index = null)
    {
        int existing = IndexOf(FirewallRules, r => r.Name == item.Name);
        if (existing >= 0)
        {
            return this with { FirewallRules = FirewallRules.SetItem(existing, item) };
        }

        int at = Math.Clamp(index ?? FirewallRules.Count, 0, FirewallRules.Count);
        return this with { FirewallRules = FirewallRules.Insert(at, item) };
    }

    /// <summary>A copy without the rule <paramref name="name"/>.</summary>
    public RouterDocument WithoutFirewallRule(string name) => this with { FirewallRules = FirewallRules.RemoveAll(r => r.Name == name) };

    /// <summary>A copy with <paramref name="item"/> in place of the setting of the same name, or appended.</summary>
    public RouterDocument WithSysctl(SysctlSetting item) => this with { Sysctl = Upsert(Sysctl, s => s.Name == item.Name, item) };

    /// <summary>A copy without the setting <paramref name="name"/>.</summary>
    public RouterDocument WithoutSysctl(string name) => this with { Sysctl = Sysctl.RemoveAll(s => s.Name == name) };

    /// <summary>A copy with <paramref name="item"/> in place of the route to the same destination, or appended.</summary>
    public RouterDocument WithRoute(Route item) => this with { Routes = Upsert(Routes, r => r.Key == item.Key, item) };

    /// <summary>A copy without the route to <paramref name="key"/> (canonical prefix text).</summary>
    public RouterDocument WithoutRoute(string key) => this with { Routes = Routes.RemoveAll(r => r.Key == key) };

    /// <summary>The index of the first item matching <paramref name="match"/>, or -1.</summary>
    public static int IndexOf<T>(ValueList<T> list, Func<T, bool> match)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (match(list[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static ValueList<T> Upsert<T>(ValueList<T> list, Func<T, bool> sameKey, T item)
    {
        int i = IndexOf(list, sameKey);
        return i >= 0 ? list.SetItem(i, item) : list.Add(item);
    }
}
