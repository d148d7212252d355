using System.Net;
using System.Net.Sockets;
using IpoeRouter.Linux.Interop;
using IpoeRouter.Linux.Rtnl;
using IpoeRouter.Model;

namespace IpoeRouter.Engine.Planning;

public sealed partial class Planner
{
    private void PlanLinks()
    {
        for (int i = 0; i < _doc.Interfaces.Count; i++)
        {
            Interface iface = _doc.Interfaces[i];
            string source = $"interfaces[{i}]";
            LinkInfo? link = _kernel.Link(iface.Name);
            if (link is null)
            {
                _links.Add(Pending(ResourceKind.Link, iface.Name, source, $"link {iface.Name} does not exist (yet)"));
                continue;
            }

            bool? up = iface.Up ?? (iface.Role != InterfaceRole.None ? true : null);
            _links.Add(LinkState(link, up, iface.Mtu, source, iface.Up is null && up is not null ? $"{iface.Role.ToString().ToLowerInvariant()} interfaces are brought up" : "declared"));
        }
    }

    private ResourceDiff LinkState(LinkInfo link, bool? up, int? mtu, string source, string reason)
    {
        var changes = new List<PropertyChange>();
        var ops = new List<KernelOperation>();
        var undo = new List<KernelOperation>();
        if (mtu is { } m && m != link.Mtu)
        {
            changes.Add(new PropertyChange("mtu", link.Mtu.ToString(System.Globalization.CultureInfo.InvariantCulture), m.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            ops.Add(new SetMtuOperation(link.Index, link.Name, m));
            undo.Insert(0, new SetMtuOperation(link.Index, link.Name, link.Mtu));
        }

        if (up is { } u && u != link.IsUp)
        {
            changes.Add(new PropertyChange("up", link.IsUp ? "true" : "false", u ? "true" : "false"));
            ops.Add(new SetLinkUpOperation(link.Index, link.Name, u));
            undo.Insert(0, new SetLinkUpOperation(link.Index, link.Name, link.IsUp));
        }

        return changes.Count == 0
            ? NoChange(ResourceKind.Link, link.Name, source, "as declared")
            : new ResourceDiff(ResourceKind.Link, link.Name, DiffOutcome.Update, changes, reason) { Source = source, Operations = ops, Inverse = undo };
    }
}
