namespace IpoeRouter.Model.Import;

/// <summary>
/// Reads <c>/etc/default/wide-dhcpv6-client</c> (shell variables for the init script). Its
/// <c>INTERFACES=</c> only says where the client runs, which the delegations already say; it is
/// checked against them. Pure.
/// </summary>
public static class WideDhcpv6DefaultsImporter
{
    /// <summary>Imports <paramref name="source"/>, checking it against <paramref name="delegations"/> (from dhcp6c.conf).</summary>
    public static SourceImport Import(SourceText source, IReadOnlyList<PrefixDelegation> delegations)
    {
        var account = new LineAccount(source, '#');
        for (int i = 0; i < account.Lines.Count; i++)
        {
            string line = account.Lines[i].Trim();
            if (account.IsCommentOrBlank(line))
            {
                continue;
            }

            int eq = line.IndexOf('=', StringComparison.Ordinal);
            string name = eq > 0 ? line[..eq].Trim() : line;
            string value = eq > 0 ? line[(eq + 1)..].Trim().Trim('"', '\'') : string.Empty;
            switch (name)
            {
                case "INTERFACES":
                    string[] names = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    string[] missing = names.Where(n => !delegations.Any(d => d.Interface == n)).ToArray();
                    account.Mark(i + 1, missing.Length == 0 ? ImportOutcome.Absorbed : ImportOutcome.NotExpressible, missing.Length == 0
                        ? $"the PD client runs where prefixDelegations put it: {string.Join(", ", names)}"
                        : $"no delegation in dhcp6c.conf runs on {string.Join(", ", missing)} (send ia-pd missing there)");
                    break;
                case "VERBOSE":
                    account.Mark(i + 1, ImportOutcome.Absorbed, "log verbosity: the agent logs to the journal");
                    break;
                default:
                    account.Mark(i + 1, ImportOutcome.NotExpressible, $"'{name}' is not a setting of the init script the importer knows");
                    break;
            }
        }

        return new SourceImport(RouterDocument.Empty, account.Complete());
    }
}
