using System.Text.Json;
using System.Text.Json.Serialization;
using IpoeRouter.Engine.Documents;

namespace IpoeRouter.Agent.Hosting;

/// <summary>
/// An apply on probation, held by the agent: unless confirmed by <see cref="Deadline"/>, the agent goes
/// back to <see cref="PreviousDocument"/> (the version that ran before) and converges to it. Written
/// to the run directory before anything of the new version is applied, so an agent killed or restarted
/// inside the window still goes back.
/// </summary>
/// <param name="Id">Its id (what Confirm-IpoeReconcile names).</param>
/// <param name="Deadline">When it rolls back unless confirmed.</param>
/// <param name="DocumentPath">The document file.</param>
/// <param name="PreviousDocument">The bytes of the version to go back to.</param>
/// <param name="OnProbation">The fingerprint of the version on probation.</param>
/// <param name="Revert">
/// What going back to the previous version alone would not undo: the sysctl values and link states the
/// version on probation wrote, as they were before (the previous version may not declare them, and the
/// engine changes only what a document declares). Addresses, routes, tunnels and the firewall need no
/// such list: converging to the previous version removes what the engine made for the other.
/// </param>
internal sealed record HeldApply(string Id, DateTimeOffset Deadline, string DocumentPath, byte[] PreviousDocument, string OnProbation, IReadOnlyList<RevertStep> Revert)
{
    /// <summary>Where held applies live in the run directory.</summary>
    public static string Directory(string runDirectory) => Path.Combine(runDirectory, "held");

    /// <summary>A new id: sortable by time, unique.</summary>
    public static string NewId(DateTimeOffset now) => Engine.Journal.ConfirmationId.New(now);

    /// <summary>Writes it (atomically, 0600 in a 0700 directory) before anything is applied.</summary>
    public void Save(string runDirectory)
    {
        AtomicFile.WritePrivate(Path.Combine(Directory(runDirectory), Id + ".json"), JsonSerializer.SerializeToUtf8Bytes(this, AgentJson.Default.HeldApply));
    }

    /// <summary>Removes its file (confirmed, or rolled back).</summary>
    public void Delete(string runDirectory) => File.Delete(Path.Combine(Directory(runDirectory), Id + ".json"));

    /// <summary>Every held apply on disk (an unreadable file is moved aside and reported through <paramref name="log"/>).</summary>
    public static IReadOnlyList<HeldApply> LoadAll(string runDirectory, Action<string> log)
    {
        string dir = Directory(runDirectory);
        if (!System.IO.Directory.Exists(dir))
        {
            return [];
        }

        var held = new List<HeldApply>();
        foreach (string file in System.IO.Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                held.Add(JsonSerializer.Deserialize(File.ReadAllBytes(file), AgentJson.Default.HeldApply) ?? throw new JsonException("null"));
            }
            catch (JsonException e)
            {
                File.Move(file, file + ".unreadable", overwrite: true);
                log($"confirm: {file} cannot be read ({e.Message}); moved aside");
            }
        }

        return held;
    }
}

/// <summary>One value to put back when an apply on probation goes back: a sysctl (<c>/proc/sys</c> path), a link's MTU, or a link's state.</summary>
/// <param name="Kind"><c>sysctl</c>, <c>mtu</c> or <c>up</c>.</param>
/// <param name="Target">The sysctl path, or the link's name.</param>
/// <param name="Index">The link's index (0 for a sysctl).</param>
/// <param name="Value">The value to put back (<c>1500</c>, <c>true</c>, a sysctl's text).</param>
internal sealed record RevertStep(string Kind, string Target, int Index, string Value)
{
    /// <summary>The revert steps of an apply's undo journal (in the order to run them); other operations are left to the converge.</summary>
    public static IReadOnlyList<RevertStep> From(IEnumerable<Engine.Planning.KernelOperation> undo) => [.. undo.Select(op => op switch
    {
        Engine.Planning.WriteSysctlOperation w => new RevertStep("sysctl", w.ProcPath, 0, w.Value),
        Engine.Planning.SetMtuOperation m => new RevertStep("mtu", m.Name, m.Index, m.Mtu.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Engine.Planning.SetLinkUpOperation u => new RevertStep("up", u.Name, u.Index, u.Up ? "true" : "false"),
        _ => null,
    }).OfType<RevertStep>()];

    /// <summary>The kernel operation that puts the value back.</summary>
    public Engine.Planning.KernelOperation ToOperation() => Kind switch
    {
        "sysctl" => new Engine.Planning.WriteSysctlOperation(Target, Value),
        "mtu" => new Engine.Planning.SetMtuOperation(Index, Target, int.Parse(Value, System.Globalization.CultureInfo.InvariantCulture)),
        _ => new Engine.Planning.SetLinkUpOperation(Index, Target, Value == "true"),
    };
}

/// <summary>The agent's own files' JSON (source-generated: NativeAOT).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(HeldApply))]
internal sealed partial class AgentJson : JsonSerializerContext;
