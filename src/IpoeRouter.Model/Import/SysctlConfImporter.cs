namespace IpoeRouter.Model.Import;

/// <summary>
/// Reads <c>sysctl.conf</c> and <c>sysctl.d/*.conf</c> (in the order given, later files winning as
/// sysctl --system does) into sysctl settings. <c>accept_ra</c> on a named interface is the engine's
/// to set: 1 or 2 makes the interface take RAs (the engine sets accept_ra 2 on RA-taking interfaces
/// while forwarding), 0 makes it refuse them. Pure.
/// </summary>
public static class SysctlConfImporter
{
    /// <summary>Imports <paramref name="sources"/>.</summary>
    public static SourceImport Import(IReadOnlyList<SourceText> sources)
    {
        var settings = new List<SysctlSetting>();
        var interfaces = new List<Interface>();
        var lines = new List<AccountedLine>();
        foreach (SourceText source in sources)
        {
            var account = new LineAccount(source, '#', ';');
            for (int i = 0; i < account.Lines.Count; i++)
            {
                string line = account.Lines[i].Trim();
                if (account.IsCommentOrBlank(line))
                {
                    continue;
                }

                int eq = line.IndexOf('=', StringComparison.Ordinal);
                string name = SysctlSetting.Canonical((eq > 0 ? line[..eq] : line).Trim().TrimStart('-'));
                string value = eq > 0 ? line[(eq + 1)..].Trim() : string.Empty;
                if (eq <= 0 || !SysctlSetting.IsValidName(name) || value.Length == 0)
                {
                    account.Mark(i + 1, ImportOutcome.NotExpressible, "not a 'key = value' line");
                    continue;
                }

                var setting = new SysctlSetting(name, value);
                if (setting.Key == "accept_ra" && setting.ConfDevice is { } device && device is not ("all" or "default") && value is "0" or "1" or "2")
                {
                    bool takes = value != "0";
                    interfaces.RemoveAll(x => x.Name == device);
                    interfaces.Add(new Interface(device) { AcceptRa = takes });
                    account.Mark(i + 1, ImportOutcome.Absorbed, takes
                        ? $"{device} acceptRa: true; the engine sets accept_ra 2 on RA-taking interfaces while forwarding"
                        : $"{device} acceptRa: false");
                    continue;
                }

                int earlier = settings.FindIndex(s => s.Name == name);
                string detail = $"sysctl {name} = {value}";
                if (earlier >= 0)
                {
                    settings.RemoveAt(earlier);
                    detail += " (a later line wins over an earlier one, as sysctl --system applies them)";
                }

                settings.Add(setting);
                account.Mark(i + 1, ImportOutcome.Imported, detail);
            }

            lines.AddRange(account.Complete());
        }

        return new SourceImport(RouterDocument.Empty with { Sysctl = [.. settings], Interfaces = [.. interfaces] }, lines);
    }
}
