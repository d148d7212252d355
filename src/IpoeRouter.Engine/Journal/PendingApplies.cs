namespace IpoeRouter.Engine.Journal;

/// <summary>
/// Where applies waiting for confirmation are kept, and which are waiting, without reading them
/// (so the NativeAOT agent can ask without the reflection-based JSON of <see cref="PendingConfirmation"/>).
/// While one waits, no other apply starts: neither <c>Invoke-IpoeReconcile</c> nor the agent's reconciles.
/// </summary>
public static class PendingApplies
{
    /// <summary>Where pending confirmations live unless <c>$IPOE_RUN_DIR</c> says otherwise.</summary>
    public const string DefaultDirectory = "/run/ipoe/pending";

    /// <summary>The directory in effect.</summary>
    public static string Directory => Environment.GetEnvironmentVariable("IPOE_RUN_DIR") is { Length: > 0 } d ? Path.Combine(d, "pending") : DefaultDirectory;

    /// <summary>The ids of every apply waiting for confirmation (files whose name is no confirmation id are not applies, and are left out).</summary>
    public static IReadOnlyList<string> Ids() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.GetFiles(Directory, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Where(ConfirmationId.IsValid).Order(StringComparer.Ordinal).ToList()
            : [];
}
