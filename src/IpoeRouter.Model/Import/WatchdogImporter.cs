namespace IpoeRouter.Model.Import;

/// <summary>
/// Accounts for the hand-built router's glue: the crontab's watchdog jobs, the scripts they run,
/// and dhcp6c's hook script. None of it becomes a resource: ipoe-agent's reconcile loop does what
/// they did (keep the PD client running, re-apply addresses, routes and the firewall, watch the
/// tunnel), so their lines are absorbed with what replaces them. A cron job that is not a network
/// watchdog cannot be expressed. Pure.
/// </summary>
public static class WatchdogImporter
{
    private const string Replaced = "replaced by ipoe-agent";

    /// <summary>
    /// Accounts for <paramref name="crontab"/>'s lines; <paramref name="scripts"/> are the scripts
    /// found beside it (by file name), accounted for line by line when a job runs them.
    /// </summary>
    public static SourceImport ImportCrontab(SourceText crontab, IReadOnlyList<SourceText> scripts)
    {
        var account = new LineAccount(crontab, '#');
        for (int i = 0; i < account.Lines.Count; i++)
        {
            string line = account.Lines[i].Trim();
            if (account.IsCommentOrBlank(line))
            {
                continue;
            }

            string[] words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words[0].Contains('=', StringComparison.Ordinal))
            {
                account.Mark(i + 1, ImportOutcome.Absorbed, "cron environment for the jobs below");
                continue;
            }

            int commandAt = words[0].StartsWith('@') ? 1 : 5;
            string command = string.Join(' ', words.Skip(commandAt));
            string? scriptPath = words.Skip(commandAt).FirstOrDefault(w => w.StartsWith('/'));
            string scriptName = scriptPath is null ? string.Empty : scriptPath[(scriptPath.LastIndexOf('/') + 1)..];
            SourceText? script = scripts.FirstOrDefault(s => FileName(s.File) == scriptName);
            string? purpose = Purpose(command + "\n" + script?.Text, scriptName);
            if (purpose is null)
            {
                account.Mark(i + 1, ImportOutcome.NotExpressible, "a cron job that is not a network watchdog: the document schedules nothing (keep it in cron)");
                continue;
            }

            string found = script is null && scriptName.Length > 0 ? $" ({scriptName} is not among the sources)" : string.Empty;
            account.Mark(i + 1, ImportOutcome.Absorbed, $"watchdog every minute, {Replaced}: {purpose}{found}");
        }

        return new SourceImport(RouterDocument.Empty, account.Complete());
    }

    /// <summary>Accounts for every line of a watchdog or hook script.</summary>
    public static SourceImport ImportScript(SourceText script)
    {
        var account = new LineAccount(script, '#');
        string purpose = Purpose(script.Text, FileName(script.File)) ?? "glue around the hand-built router";
        for (int i = 0; i < account.Lines.Count; i++)
        {
            if (!account.IsCommentOrBlank(account.Lines[i]))
            {
                account.Mark(i + 1, ImportOutcome.Absorbed, $"part of {FileName(script.File)}, {Replaced}: {purpose}");
            }
        }

        return new SourceImport(RouterDocument.Empty, account.Complete());
    }

    private static string FileName(string path) => path[(path.LastIndexOfAny(['/', '\\']) + 1)..];

    /// <summary>What a job or script did and what does it now, judged from what it runs; null when it is not network glue.</summary>
    private static string? Purpose(string text, string name)
    {
        if (text.Contains("ip6tables-restore", StringComparison.Ordinal) || text.Contains("iptables-restore", StringComparison.Ordinal))
        {
            return "restored the firewall after a DHCPv6 event; the engine applies the document's firewall (one nftables table) itself";
        }

        if (text.Contains("wide-dhcpv6", StringComparison.Ordinal) || text.Contains("dhcp6c", StringComparison.Ordinal))
        {
            return "restarted the DHCPv6-PD client when the LAN lost its delegated address; the agent's PD client holds UDP 546 itself and re-applies the LAN's /64";
        }

        if (text.Contains("netplan apply", StringComparison.Ordinal) || text.Contains("ping", StringComparison.Ordinal))
        {
            return "re-applied netplan when the internet did not answer; the agent's tunnel health check and reconcile loop repair the links";
        }

        if (name.Contains("ip6tnl", StringComparison.Ordinal) || name.Contains("tunnel", StringComparison.Ordinal) || name.StartsWith("check-", StringComparison.Ordinal))
        {
            return "watched the tunnel; the agent's tunnel health check re-creates it when the WAN address changes";
        }

        return null;
    }
}
