namespace IpoeRouter.Engine.Firewall;

/// <summary>What the engine recorded right after its last apply of the table: the desired fingerprint and the listing that resulted.</summary>
public sealed record FirewallRecord(string DesiredFingerprint, string ListingFingerprint);

/// <summary>
/// The table <c>inet ipoe</c> as it is: its listing (null when absent), the listing's fingerprint,
/// and the record of the last apply. A listing that no longer matches the record means someone
/// edited the table by hand (drift).
/// </summary>
public sealed record FirewallObservation(string? ListingJson, string? ListingFingerprint, FirewallRecord? Recorded)
{
    /// <summary>No table, no record.</summary>
    public static FirewallObservation Absent { get; } = new(null, null, null);
}

/// <summary>nft refused the table: which rule (by its name) and nft's message.</summary>
public sealed class FirewallRefusedException(string? rule, string message, Exception inner)
    : IOException(rule is null ? $"nftables refused the table: {message}" : $"nftables refused rule '{rule}': {message}", inner)
{
    /// <summary>The refused rule's name, when it could be found.</summary>
    public string? Rule { get; } = rule;
}
