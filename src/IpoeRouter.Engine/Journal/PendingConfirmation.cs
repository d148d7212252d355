using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using IpoeRouter.Engine.Documents;
using IpoeRouter.Engine.Planning;

namespace IpoeRouter.Engine.Journal;

/// <summary>
/// An apply waiting for confirmation: the undo steps of everything it changed, where, and until
/// when. Rolled back when the deadline passes without <c>Confirm-IpoeReconcile</c>, so a change
/// that cuts the SSH session it was made from undoes itself.
/// </summary>
public sealed record PendingConfirmation(string Id, string? Namespace, DateTimeOffset Deadline, IReadOnlyList<KernelOperation> Undo)
{
    /// <summary>Where pending confirmations live unless <c>$IPOE_RUN_DIR</c> says otherwise.</summary>
    public const string DefaultDirectory = PendingApplies.DefaultDirectory;

    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        Converters = { new AddressConverter(), new NetworkConverter() },
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver
        {
            Modifiers = { AddOperationTypes },
        },
    };

    /// <summary>The directory in effect.</summary>
    public static string Directory => PendingApplies.Directory;

    /// <summary>The file of this confirmation.</summary>
    public string FilePath => Path.Combine(Directory, Id + ".json");

    /// <summary>Writes it (atomically; 0600 in a 0700 directory: it holds the way back).</summary>
    public void Save() => AtomicFile.WritePrivate(FilePath, JsonSerializer.SerializeToUtf8Bytes(this, s_json));

    /// <summary>
    /// Writes it over the one on disk only while that one still waits (neither confirmed nor taken by
    /// its deadline); returns false, writing nothing, when it no longer does.
    /// </summary>
    public bool Update()
    {
        try
        {
            AtomicFile.WritePrivate(FilePath, JsonSerializer.SerializeToUtf8Bytes(this, s_json), () =>
            {
                if (!File.Exists(FilePath))
                {
                    throw new FileNotFoundException("the apply no longer waits for confirmation", FilePath);
                }
            });
            return true;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Takes it back before it was needed (the apply failed or changed nothing): its file goes; false when it was taken already.</summary>
    public bool Withdraw() => Claim(Id, "withdrawn") is not null;

    /// <summary>Reads one, or null when it was confirmed (or rolled back) already.</summary>
    /// <exception cref="Model.IpoeException"><paramref name="id"/> is not a confirmation id (<see cref="EngineErrorIds.ConfirmationIdInvalid"/>).</exception>
    public static PendingConfirmation? Load(string id)
    {
        ConfirmationId.Require(id);
        string file = Path.Combine(Directory, id + ".json");
        try
        {
            return JsonSerializer.Deserialize<PendingConfirmation>(File.ReadAllBytes(file), s_json);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The ids of every pending confirmation.</summary>
    public static IReadOnlyList<string> List() => PendingApplies.Ids();

    /// <summary>
    /// Takes the pending apply for one purpose (confirm or roll back) atomically: a rename that only
    /// one caller can win, so a confirmation and the deadline cannot both think they acted. Returns
    /// the confirmation when this caller won, null when it was taken (or gone) already.
    /// </summary>
    /// <exception cref="Model.IpoeException"><paramref name="id"/> is not a confirmation id (<see cref="EngineErrorIds.ConfirmationIdInvalid"/>).</exception>
    public static PendingConfirmation? Claim(string id, string purpose)
    {
        ConfirmationId.Require(id);
        string file = Path.Combine(Directory, id + ".json");
        string claimed = Path.Combine(Directory, $"{id}.{purpose}");
        try
        {
            File.Move(file, claimed, overwrite: false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<PendingConfirmation>(File.ReadAllBytes(claimed), s_json);
        }
        finally
        {
            File.Delete(claimed);
        }
    }

    /// <summary>A new id: sortable by time, unique.</summary>
    public static string NewId() => ConfirmationId.New(DateTimeOffset.UtcNow);

    private static void AddOperationTypes(System.Text.Json.Serialization.Metadata.JsonTypeInfo info)
    {
        if (info.Type != typeof(KernelOperation))
        {
            return;
        }

        info.PolymorphismOptions = new System.Text.Json.Serialization.Metadata.JsonPolymorphismOptions { TypeDiscriminatorPropertyName = "op" };
        foreach (Type t in new[]
        {
            typeof(AddTunnelOperation), typeof(ChangeTunnelOperation), typeof(DeleteLinkOperation), typeof(SetLinkUpOperation), typeof(SetMtuOperation),
            typeof(ReplaceAddressOperation), typeof(DeleteAddressOperation), typeof(ReplaceRouteOperation), typeof(DeleteRouteOperation), typeof(WriteSysctlOperation),
            typeof(ApplyFirewallOperation), typeof(RestoreFirewallOperation),
        })
        {
            info.PolymorphismOptions.DerivedTypes.Add(new System.Text.Json.Serialization.Metadata.JsonDerivedType(t, t.Name.Replace("Operation", string.Empty, StringComparison.Ordinal)));
        }
    }

    private sealed class AddressConverter : JsonConverter<IPAddress>
    {
        public override IPAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => IPAddress.Parse(reader.GetString()!);

        public override void Write(Utf8JsonWriter writer, IPAddress value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }

    private sealed class NetworkConverter : JsonConverter<IPNetwork>
    {
        public override IPNetwork Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => IPNetwork.Parse(reader.GetString()!);

        public override void Write(Utf8JsonWriter writer, IPNetwork value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }
}
