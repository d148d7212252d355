using IpoeRouter.Model;

namespace IpoeRouter.Engine.Planning;

public sealed partial class Planner
{
    /// <summary>One kernel parameter the document wants, with where it comes from.</summary>
    private sealed record SysctlWish(string Name, string ProcPath, string Value, string Source, string Reason, string? Device);

    /// <summary>
    /// The declared settings (accept_ra already corrected in the effective document), and the
    /// accept_ra each interface that takes (or refuses) RAs derives. Order matters: every accept_ra
    /// comes before any forwarding key, because turning forwarding on deletes the routes learnt from
    /// RAs on every interface whose accept_ra is not 2 yet (the WAN would lose its default route until
    /// the next RA). Then the other global keys, then the per-interface ones.
    /// </summary>
    private static IEnumerable<SysctlWish> DesiredSysctl(RouterDocument doc)
    {
        var declared = doc.Sysctl.Select((s, i) => new SysctlWish(s.Name, s.ProcPath, s.Value, $"sysctl[{i}]", "declared", s.ConfDevice is "all" or "default" ? null : s.ConfDevice));
        var derived = doc.Interfaces.Select((iface, i) => (iface, i))
            .Where(x => doc.AcceptRaValueFor(x.iface) is not null)
            .Select(x =>
            {
                var s = new SysctlSetting($"net.ipv6.conf.{x.iface.Name.Replace('.', '/')}.accept_ra", doc.AcceptRaValueFor(x.iface)!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                string why = s.Value == "0"
                    ? "declared acceptRa: false"
                    : "takes Router Advertisements; 2 keeps them taken when forwarding is on";
                return new SysctlWish(s.Name, s.ProcPath, s.Value, $"interfaces[{x.i}]", why, x.iface.Name);
            });
        return declared.Concat(derived).OrderBy(d => d.Name.EndsWith(".accept_ra", StringComparison.Ordinal) ? 0 : d.Name.EndsWith("forwarding", StringComparison.Ordinal) ? 3 : d.Device is null ? 1 : 2);
    }

    private void PlanSysctl()
    {
        foreach (SysctlWish want in DesiredSysctl(_doc))
        {
            string? now = _kernel.Sysctl.GetValueOrDefault(want.ProcPath);
            if (now is null)
            {
                _sysctl.Add(Pending(ResourceKind.Sysctl, want.Name, want.Source, want.Device is { } dev && _kernel.Link(dev) is null
                    ? $"interface {dev} does not exist yet"
                    : "the kernel has no such parameter (a module not loaded?)"));
                continue;
            }

            if (Normalize(now) == Normalize(want.Value))
            {
                _sysctl.Add(NoChange(ResourceKind.Sysctl, want.Name, want.Source, "as declared"));
                continue;
            }

            _sysctl.Add(new ResourceDiff(ResourceKind.Sysctl, want.Name, DiffOutcome.Update, [new PropertyChange("value", now, want.Value)], want.Reason)
            {
                Source = want.Source,
                Operations = [new WriteSysctlOperation(want.ProcPath, want.Value)],
                Inverse = [new WriteSysctlOperation(want.ProcPath, now)],
            });
        }
    }

    /// <summary>Values compare with white space collapsed ("4096\t87380" is "4096 87380").</summary>
    private static string Normalize(string value) => string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
