using IpoeRouter.Model;

namespace IpoeRouter.Engine.Documents;

/// <summary>What reading the document again came to.</summary>
public enum ReloadOutcome
{
    /// <summary>The file holds the running version (or the version last refused, which stays refused).</summary>
    Unchanged,

    /// <summary>A new valid version is now the running one.</summary>
    Accepted,

    /// <summary>The new version is invalid (or unreadable, or gone): the running one stays.</summary>
    Refused,
}

/// <summary>
/// The document an agent runs, following its file: a new version is taken only when it is valid; an
/// invalid one is refused, with its errors (file:line:col), and the running one stays. The version
/// before the running one is kept, so an apply on probation can go back to it.
/// </summary>
public sealed class DocumentFollower
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private string? _refusedFingerprint;

    /// <summary>Starts from a document read and validated at start.</summary>
    public DocumentFollower(DocumentSnapshot initial, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(initial);
        _time = time;
        Running = initial;
        RunningFingerprint = Fingerprint(initial.Bytes);
        LoadedAt = time.GetUtcNow();
    }

    /// <summary>The file followed.</summary>
    public string Path => Running.Path;

    /// <summary>The running version.</summary>
    public DocumentSnapshot Running { get; private set; }

    /// <summary>The running version's fingerprint.</summary>
    public string RunningFingerprint { get; private set; }

    /// <summary>When the running version was taken.</summary>
    public DateTimeOffset LoadedAt { get; private set; }

    /// <summary>The version before the running one, null when the running one is the first.</summary>
    public DocumentSnapshot? Previous { get; private set; }

    /// <summary>When the last version was refused, null when none is refused now.</summary>
    public DateTimeOffset? RefusedAt { get; private set; }

    /// <summary>Why the last version was refused.</summary>
    public IReadOnlyList<string> RefusedErrors { get; private set; } = [];

    /// <summary>A fingerprint of a version's bytes.</summary>
    public static string Fingerprint(byte[]? bytes) => bytes is null ? "none" : Convert.ToHexString(System.IO.Hashing.XxHash64.Hash(bytes));

    /// <summary>Reads the file again; takes it when it is a new valid version.</summary>
    public ReloadOutcome Reload()
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Refuse(null, [$"{Path}: cannot be read ({e.Message}); the running version stays"]);
        }

        string fingerprint = Fingerprint(bytes);
        lock (_gate)
        {
            if (fingerprint == RunningFingerprint)
            {
                _refusedFingerprint = null;
                RefusedAt = null;
                RefusedErrors = [];
                return ReloadOutcome.Unchanged;
            }

            if (fingerprint == _refusedFingerprint)
            {
                return ReloadOutcome.Unchanged;
            }
        }

        DocumentSnapshot next;
        try
        {
            next = DocumentStore.Parse(Path, bytes);
        }
        catch (DocumentException e)
        {
            return Refuse(fingerprint, [.. e.Errors.Select(d => d.ToString())]);
        }
        catch (IpoeException e)
        {
            return Refuse(fingerprint, [e.Message]);
        }

        lock (_gate)
        {
            Previous = Running;
            Running = next;
            RunningFingerprint = fingerprint;
            LoadedAt = _time.GetUtcNow();
            _refusedFingerprint = null;
            RefusedAt = null;
            RefusedErrors = [];
        }

        return ReloadOutcome.Accepted;
    }

    /// <summary>
    /// Makes <paramref name="version"/> the running one again (an apply on probation rolled back); the
    /// file's version is then treated as refused, with <paramref name="why"/>, until the file changes.
    /// </summary>
    public void RollBackTo(DocumentSnapshot version, string why)
    {
        ArgumentNullException.ThrowIfNull(version);
        lock (_gate)
        {
            _refusedFingerprint = RunningFingerprint;
            Running = version;
            RunningFingerprint = Fingerprint(version.Bytes);
            Previous = null;
            LoadedAt = _time.GetUtcNow();
            RefusedAt = LoadedAt;
            RefusedErrors = [why];
        }
    }

    private ReloadOutcome Refuse(string? fingerprint, IReadOnlyList<string> errors)
    {
        lock (_gate)
        {
            _refusedFingerprint = fingerprint;
            RefusedAt = _time.GetUtcNow();
            RefusedErrors = errors;
        }

        return ReloadOutcome.Refused;
    }
}
