namespace IpoeRouter.Engine.Firewall;

/// <summary>What the engine recorded right after its last apply of the table: the desired fingerprint, the listing that resulted, and the ruleset generation then.</summary>
public sealed record FirewallRecord(string DesiredFingerprint, string ListingFingerprint, uint Generation, string Namespace = "");

/// <summary>
/// The table <c>inet ipoe</c> as it is: whether it exists, its listing's fingerprint, and the record
/// of the last apply. A listing that no longer matches the record means someone edited the table by
/// hand (drift). The listing itself is read only when needed: while the ruleset generation is the
/// one recorded, nothing can have changed.
/// </summary>
public sealed class FirewallObservation(bool exists, string? listingFingerprint, FirewallRecord? recorded, Func<string?> listing)
{
    private readonly Lazy<string?> _listing = new(listing);

    /// <summary>No table, no record.</summary>
    public static FirewallObservation Absent { get; } = new(false, null, null, () => null);

    /// <summary>True when the table exists.</summary>
    public bool Exists { get; } = exists;

    /// <summary>The fingerprint of the table's listing (null when absent).</summary>
    public string? ListingFingerprint { get; } = listingFingerprint;

    /// <summary>The record of the engine's last apply, if any.</summary>
    public FirewallRecord? Recorded { get; } = recorded;

    /// <summary>The normalised listing (read on first use), null when absent.</summary>
    public string? ListingJson => _listing.Value;
}

/// <summary>nft refused the table: which rule (by its name) and nft's message.</summary>
public sealed class FirewallRefusedException(string? rule, string message, Exception inner)
    : IOException(rule is null ? $"nftables refused the table: {message}" : $"nftables refused rule '{rule}': {message}", inner)
{
    /// <summary>The refused rule's name, when it could be found.</summary>
    public string? Rule { get; } = rule;
}
