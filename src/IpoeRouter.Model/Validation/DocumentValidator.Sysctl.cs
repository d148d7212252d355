namespace IpoeRouter.Model.Validation;

public sealed partial class DocumentValidator
{
    /// <summary>Checks the sysctl settings and returns the document with its corrections applied.</summary>
    private RouterDocument CheckSysctl()
    {
        RouterDocument effective = _doc;
        for (int s = 0; s < _doc.Sysctl.Count; s++)
        {
            SysctlSetting setting = _doc.Sysctl[s];
            string path = $"sysctl[{s}]";
            if (setting.Key != "accept_ra" || setting.ConfDevice is not { } device || !setting.Name.StartsWith("net.ipv6.", StringComparison.Ordinal))
            {
                continue;
            }

            if (FindInterface(device) is { } owner && _doc.AcceptRaValueFor(owner) is not null)
            {
                string why = owner.AcceptRa is { } declared ? $"acceptRa: {(declared ? "true" : "false")}" : "role: wan, which takes RAs";
                Error(DiagnosticIds.OwnershipConflict, path + ".name",
                    $"{setting.Name} is owned by interface {owner.Name} ({why}), from which the engine derives it; remove the sysctl setting or declare it on the interface.");
                continue;
            }

            if (_doc.Ipv6ForwardingOnFor(device) && setting.Value.Trim() == "1")
            {
                if (device is "all" or "default")
                {
                    Warn(DiagnosticIds.AcceptRaIgnoredWithForwarding, path + ".value",
                        $"With IPv6 forwarding on, the kernel ignores Router Advertisements where accept_ra is 1. Set accept_ra to 2 on the WAN interface itself (or acceptRa: true on it), not on '{device}'.");
                    continue;
                }

                Warn(DiagnosticIds.AcceptRaIgnoredWithForwarding, path + ".value",
                    $"With IPv6 forwarding on, the kernel ignores Router Advertisements on {device} when accept_ra is 1: no SLAAC address, and the RA default route expires after its lifetime (the seed router lost its line every 90 minutes this way). Corrected to 2.");
                effective = effective with { Sysctl = effective.Sysctl.SetItem(s, setting with { Value = "2" }) };
            }
        }

        return effective;
    }
}
