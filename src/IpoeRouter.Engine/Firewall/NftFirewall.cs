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
public sealed class NftFirewall(NetworkNamespace ns, string recordKey)
{
    /// <summary>Reads the table and the record of the last apply.</summary>
    public FirewallObservation Observe()
    {
        string? listing = Run($"list table inet {FirewallCompiler.Table}", tolerateMissing: true);
        if (listing is null)
        {
            return new FirewallObservation(null, null, ReadRecord());
        }

        string normalized = Normalize(listing);
        return new FirewallObservation(normalized, FirewallCompiler.Fingerprint(normalized), ReadRecord());
    }

    /// <summary>Applies a compiled transaction atomically and records it; a refusal names the rule and changes nothing.</summary>
    public void Apply(string transaction, string desiredFingerprint)
    {
        try
        {
            Run(transaction, check: true);
        }
        catch (NftException e)
        {
            throw new FirewallRefusedException(FindRefusedRule(transaction), e.Message, e);
        }

        Run(transaction);
        Record(desiredFingerprint);
    }

    /// <summary>Puts back a previous listing (or removes the table when there was none) and its record.</summary>
    public void Restore(string? listingJson, FirewallRecord? record)
    {
        var commands = new JsonArray
        {
            new JsonObject { ["add"] = new JsonObject { ["table"] = new JsonObject { ["family"] = "inet", ["name"] = FirewallCompiler.Table } } },
            new JsonObject { ["delete"] = new JsonObject { ["table"] = new JsonObject { ["family"] = "inet", ["name"] = FirewallCompiler.Table } } },
        };
        if (listingJson is not null)
        {
            foreach (JsonNode? item in JsonNode.Parse(listingJson)!["nftables"]!.AsArray())
            {
                commands.Add(new JsonObject { ["add"] = item!.DeepClone() });
            }
        }

        Run(new JsonObject { ["nftables"] = commands }.ToJsonString());
        if (record is null)
        {
            File.Delete(RecordPath);
        }
        else
        {
            WriteRecord(record);
        }
    }

    private void Record(string desiredFingerprint)
    {
        string listing = Normalize(Run($"list table inet {FirewallCompiler.Table}")!);
        WriteRecord(new FirewallRecord(desiredFingerprint, FirewallCompiler.Fingerprint(listing)));
    }

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

                kept.Add(copy);
            }
        }

        return new JsonObject { ["nftables"] = kept }.ToJsonString();
    }

    private string RecordPath => Path.Combine(Journal.PendingConfirmation.Directory, "..", $"firewall-{recordKey}.json");

    private FirewallRecord? ReadRecord()
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(RecordPath));
            return new FirewallRecord(doc.RootElement.GetProperty("desired").GetString()!, doc.RootElement.GetProperty("listing").GetString()!);
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private void WriteRecord(FirewallRecord record) =>
        Documents.AtomicFile.Write(RecordPath, System.Text.Encoding.UTF8.GetBytes(
            new JsonObject { ["desired"] = record.DesiredFingerprint, ["listing"] = record.ListingFingerprint }.ToJsonString()));
}
