using System.Text.Json;
using System.Text.Json.Nodes;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Linux.Nft;

namespace IpoeRouter.Engine.Firewall;

/// <summary>
/// The table <c>inet ipoe</c> in one namespace, through libnftables: observe (listing, fingerprint,
/// record), apply (check mode first; on a refusal, the refused rule is found by checking ever
/// shorter prefixes of the transaction), restore a previous listing.
/// </summary>
public sealed class NftFirewall(NetworkNamespace ns, string recordKey) : IDisposable
{
    private NetlinkSocket? _netfilter;

    /// <summary>
    /// Reads the record of the last apply and, unless the ruleset generation is still the recorded
    /// one, the table's listing. (Listing 2,000 rules costs about as much as applying them.)
    /// </summary>
    public FirewallObservation Observe()
    {
        FirewallRecord? record = ReadRecord();
        if (record is not null && record.Namespace != Identity)
        {
            record = null; // the record of another namespace instance (made again with this name) or another boot
        }

        if (record is not null && record.Generation == Generation())
        {
            return new FirewallObservation(true, record.ListingFingerprint, record, ListNormalized);
        }

        string? listing = ListNormalized();
        return listing is null
            ? new FirewallObservation(false, null, record, () => null)
            : new FirewallObservation(true, FirewallCompiler.Fingerprint(listing), record, () => listing);
    }

    /// <inheritdoc/>
    public void Dispose() => _netfilter?.Dispose();

    private string? ListNormalized() =>
        Run($"list table inet {FirewallCompiler.Table}", tolerateMissing: true) is { } listing ? Normalize(listing) : null;

    private uint Generation() => NftGeneration.Read(_netfilter ??= ns.OpenSocket(protocol: IpoeRouter.Linux.Interop.NetlinkConstants.ProtocolNetfilter));

    /// <summary>
    /// Applies a compiled transaction and records it. The kernel commits the transaction whole or
    /// not at all, so a refusal changes nothing; a separate check pass before it would add no
    /// safety and cost a third of the time. Check mode is used after a refusal, to name the rule.
    /// </summary>
    public void Apply(string transaction, string desiredFingerprint)
    {
        try
        {
            Run(transaction);
        }
        catch (NftException e)
        {
            throw new FirewallRefusedException(FindRefusedRule(transaction), e.Message, e);
        }

        Record(desiredFingerprint);
    }

    /// <summary>Checks a transaction in nft's check mode without committing anything (for -WhatIf and plans).</summary>
    public void Check(string transaction)
    {
        try
        {
            Run(transaction, check: true);
        }
        catch (NftException e)
        {
            throw new FirewallRefusedException(FindRefusedRule(transaction), e.Message, e);
        }
    }

    /// <summary>Puts back a previous listing (or removes the table when there was none) and its record.</summary>
    public void Restore(string? listingJson, FirewallRecord? record)
    {
        var commands = new JsonArray(
            new JsonObject { ["add"] = new JsonObject { ["table"] = new JsonObject { ["family"] = "inet", ["name"] = FirewallCompiler.Table } } },
            new JsonObject { ["delete"] = new JsonObject { ["table"] = new JsonObject { ["family"] = "inet", ["name"] = FirewallCompiler.Table } } });
        if (listingJson is not null)
        {
            foreach (JsonNode? item in JsonNode.Parse(listingJson)!["nftables"]!.AsArray())
            {
                commands.Append(new JsonObject { ["add"] = item!.DeepClone() });
            }
        }

        Run(new JsonObject { ["nftables"] = commands }.ToJsonString());
        if (record is null)
        {
            DeleteRecord();
        }
        else
        {
            WriteRecord(record);
        }
    }

    private void Record(string desiredFingerprint)
    {
        // The generation before and after the listing must agree, or a change between them would
        // be recorded as the engine's own and its drift never seen.
        for (int attempt = 0; attempt < 3; attempt++)
        {
            uint before = Generation();
            string listing = Normalize(Run($"list table inet {FirewallCompiler.Table}")!);
            if (Generation() == before)
            {
                WriteRecord(new FirewallRecord(desiredFingerprint, FirewallCompiler.Fingerprint(listing), before, Identity));
                return;
            }
        }

        DeleteRecord(); // could not read a stable state: the next observe lists and re-applies
    }

    private string Identity => _identity ??= ns.Identity();

    private string? _identity;

    /// <summary>The name (comment) of the first rule whose addition the kernel refuses, by bisection in check mode.</summary>
    private string? FindRefusedRule(string transaction)
    {
        JsonArray all = JsonNode.Parse(transaction)!["nftables"]!.AsArray();
        int firstRule = all.ToList().FindIndex(c => c?["add"]?["rule"] is not null);
        if (firstRule < 0 || !Accepts(all, firstRule))
        {
            return null; // the table or chains themselves are refused
        }

        int good = firstRule, bad = all.Count; // prefix of length good passes, of length bad fails
        while (bad - good > 1)
        {
            int mid = (good + bad) / 2;
            if (Accepts(all, mid))
            {
                good = mid;
            }
            else
            {
                bad = mid;
            }
        }

        return all[bad - 1]?["add"]?["rule"]?["comment"]?.GetValue<string>();
    }

    private bool Accepts(JsonArray all, int count)
    {
        var prefix = new JsonArray([.. all.Take(count).Select(c => c!.DeepClone())]);
        try
        {
            Run(new JsonObject { ["nftables"] = prefix }.ToJsonString(), check: true);
            return true;
        }
        catch (NftException)
        {
            return false;
        }
    }

    private string? Run(string commands, bool check = false, bool tolerateMissing = false) => ns.Run(() =>
    {
        using var nft = new NftContext();
        try
        {
            return nft.Run(commands, check);
        }
        catch (NftException e) when (tolerateMissing && e.Message.Contains("No such file or directory", StringComparison.Ordinal))
        {
            return null;
        }
    });

    /// <summary>A listing without what changes by itself or is assigned by the kernel: metainfo, handles.</summary>
    internal static string Normalize(string listing)
    {
        JsonArray items = JsonNode.Parse(listing)!["nftables"]!.AsArray();
        var kept = new JsonArray();
        foreach (JsonNode? item in items)
        {
            if (item is JsonObject o && !o.ContainsKey("metainfo"))
            {
                JsonObject copy = o.DeepClone().AsObject();
                foreach (var (_, body) in copy)
                {
                    (body as JsonObject)?.Remove("handle");
                }

                kept.Append(copy);
            }
        }

        return new JsonObject { ["nftables"] = kept }.ToJsonString();
    }

    private string RecordPath => Path.Combine(Journal.PendingConfirmation.Directory, "..", $"firewall-{recordKey}.json");

    private void DeleteRecord()
    {
        if (File.Exists(RecordPath))
        {
            File.Delete(RecordPath);
        }
    }

    private FirewallRecord? ReadRecord()
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(RecordPath));
            return new FirewallRecord(doc.RootElement.GetProperty("desired").GetString()!, doc.RootElement.GetProperty("listing").GetString()!,
                doc.RootElement.GetProperty("generation").GetUInt32(), doc.RootElement.GetProperty("namespace").GetString()!);
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private void WriteRecord(FirewallRecord record) =>
        Documents.AtomicFile.WritePrivate(RecordPath, System.Text.Encoding.UTF8.GetBytes(
            new JsonObject { ["desired"] = record.DesiredFingerprint, ["listing"] = record.ListingFingerprint, ["generation"] = record.Generation, ["namespace"] = record.Namespace }.ToJsonString()));
}
